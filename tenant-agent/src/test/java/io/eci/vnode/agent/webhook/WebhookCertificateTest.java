package io.eci.vnode.agent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookCertificateTest {

  @Test
  void aSelfSignedCertificateIsSignedByItsAuthorityAndNamesTheService() throws Exception {
    WebhookCertificate made =
        WebhookCertificate.selfSigned(
            List.of("eci-virtual-node-agent.kube-system.svc", "eci-virtual-node-agent"));
    X509Certificate leaf = read(made.certificate());
    X509Certificate ca = read(made.authority());
    leaf.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    List<String> names =
        leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertThat(names).contains("eci-virtual-node-agent.kube-system.svc");
    assertThat(made.key()).contains("PRIVATE KEY");
    assertThat(made.toString()).doesNotContain("PRIVATE");
  }

  private static X509Certificate read(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
