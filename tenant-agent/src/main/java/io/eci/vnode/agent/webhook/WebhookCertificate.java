package io.eci.vnode.agent.webhook;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's TLS material in PEM: its certificate and key, and the authority the API server
 * checks it against (the MutatingWebhookConfiguration's caBundle).
 */
public record WebhookCertificate(String certificate, String key, String authority) {

  /** How long a self-signed certificate is good for; a restart makes a new one. */
  static final Duration VALIDITY = Duration.ofDays(3650);

  @Override
  public String toString() {
    return "WebhookCertificate[key redacted]";
  }

  /**
   * A fresh authority and a certificate it signs for {@code dnsNames}, made at start so an install
   * needs no cert-manager; the authority's key is dropped once the certificate is signed.
   */
  public static WebhookCertificate selfSigned(List<String> dnsNames) {
    try {
      KeyPair caKeys = rsa();
      X500Principal caName = new X500Principal("CN=eci-virtual-node-agent webhook CA");
      Instant now = Instant.now();
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName, serial(), from(now), until(now), caName, caKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
              caKeys);
      KeyPair keys = rsa();
      GeneralNames names =
          new GeneralNames(
              dnsNames.stream()
                  .map(
                      n ->
                          // An address (agent.webhook.url's host may be one) is an IP name.
                          new GeneralName(
                              n.matches("[0-9.]+|.*:.*")
                                  ? GeneralName.iPAddress
                                  : GeneralName.dNSName,
                              n))
                  .toArray(GeneralName[]::new));
      X509Certificate leaf =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName,
                      serial(),
                      from(now),
                      until(now),
                      new X500Principal("CN=" + dnsNames.get(0)),
                      keys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(Extension.subjectAlternativeName, false, names)
                  .addExtension(
                      Extension.extendedKeyUsage,
                      false,
                      new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)),
              caKeys);
      return new WebhookCertificate(pem(leaf), pem(keys.getPrivate()), pem(ca));
    } catch (CertIOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("the webhook certificate could not be made", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | java.security.cert.CertificateException e) {
      throw new IllegalStateException("the webhook certificate could not be signed", e);
    }
  }

  private static KeyPair rsa() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }

  // An hour back, so an API server whose clock is a little behind already trusts it.
  private static Date from(Instant now) {
    return Date.from(now.minus(Duration.ofHours(1)));
  }

  private static Date until(Instant now) {
    return Date.from(now.plus(VALIDITY));
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
