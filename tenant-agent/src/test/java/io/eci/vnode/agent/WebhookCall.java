package io.eci.vnode.agent;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Calls the agent's webhook as an API server does: over HTTPS, trusting only the caBundle. */
final class WebhookCall {

  private WebhookCall() {}

  static String review(int port, String caBundle, String admissionReview) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(caBundle))));
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trustManagers.getTrustManagers(), null);
    HttpsURLConnection connection =
        (HttpsURLConnection)
            URI.create("https://127.0.0.1:" + port + "/webhook/v1/mutate").toURL().openConnection();
    connection.setSSLSocketFactory(tls.getSocketFactory());
    // The test reaches it by address, not by the Service's name the certificate carries.
    connection.setHostnameVerifier((host, session) -> true);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(admissionReview.getBytes(StandardCharsets.UTF_8));
    }
    return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  static String labelledPodReview() {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"review-1","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE",
          "namespace":"default","object":{"apiVersion":"v1","kind":"Pod",
          "metadata":{"name":"steered","namespace":"default",
                      "labels":{"alibabacloud.com/eci":"true"}},
          "spec":{"containers":[{"name":"app","image":"nginx"}]}}}}
        """;
  }
}
