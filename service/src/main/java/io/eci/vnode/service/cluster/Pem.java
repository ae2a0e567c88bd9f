package io.eci.vnode.service.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of PEM documents supplied by callers. */
final class Pem {

  private static final Pattern PRIVATE_KEY =
      Pattern.compile(
          "-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private Pem() {}

  /** Whether the text holds one or more PEM X.509 certificates and nothing else unparseable. */
  static boolean isCertificateBundle(String pem) {
    if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
      return false;
    }
    try {
      var certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return !certificates.isEmpty();
    } catch (CertificateException | RuntimeException e) {
      return false;
    }
  }

  /** Whether the text is one PEM private key block with a base64 body. */
  static boolean isPrivateKey(String pem) {
    if (pem == null) {
      return false;
    }
    Matcher m = PRIVATE_KEY.matcher(pem.trim());
    if (!m.matches()) {
      return false;
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2)).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
