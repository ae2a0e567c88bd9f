package io.eci.vnode.sandbox.controlplane;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of its own, for a control plane on loopback and for what talks to it: the
 * API server's serving certificate, client certificates (a user name and groups, as Kubernetes
 * reads them from CN and O), and serving certificates of webhooks. Everything is PEM, as the
 * Kubernetes binaries and kubeconfigs take it.
 */
public final class Pki {

  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String caName;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  /** A key and the certificate that goes with it, both PEM. */
  public record Issued(String certificatePem, String keyPem) {

    /** Writes {@code <name>.crt} and {@code <name>.key} into {@code dir}; returns the two paths. */
    public List<Path> writeTo(Path dir, String name) {
      try {
        Files.createDirectories(dir);
        Path cert = Files.writeString(dir.resolve(name + ".crt"), certificatePem);
        Path key = Files.writeString(dir.resolve(name + ".key"), keyPem);
        return List.of(cert, key);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Pki(String caName, KeyPair caKeys, X509Certificate caCertificate) {
    this.caName = caName;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  /** A new authority whose certificate names it {@code name}. */
  public static Pki newAuthority(String name) {
    KeyPair keys = rsaKeys();
    X509v3CertificateBuilder builder = builder(name, commonName(name), keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Pki(name, keys, sign(builder, keys.getPrivate()));
  }

  /** The authority's certificate, PEM: what a client trusts, a caBundle. */
  public String caPem() {
    return pem("CERTIFICATE", encoded(caCertificate));
  }

  /**
   * A serving certificate for {@code hosts}: each an IP address or a DNS name, the first also its
   * common name.
   */
  public Issued server(String... hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(
          isIpAddress(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    return issue(
        hosts[0],
        List.of(),
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(GeneralName[]::new)));
  }

  /**
   * A client certificate for {@code user} in {@code groups}: the API server reads the user from the
   * common name and the groups from the organisations.
   */
  public Issued client(String user, String... groups) {
    return issue(user, List.of(groups), KeyPurposeId.id_kp_clientAuth, null);
  }

  /** An SSL context that trusts this authority alone. */
  public SSLContext trustingContext() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", caCertificate);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store for " + caName, e);
    }
  }

  /** A key pair without a certificate, PEM: public (SubjectPublicKeyInfo), private (PKCS#8). */
  public record KeyPairPem(String publicPem, String privatePem) {}

  /** A new RSA key pair, such as the API server's ServiceAccount token keys. */
  public static KeyPairPem keyPair() {
    KeyPair keys = rsaKeys();
    return new KeyPairPem(
        pem("PUBLIC KEY", keys.getPublic().getEncoded()), privateKeyPem(keys.getPrivate()));
  }

  /** Reads the first certificate of a PEM bundle. */
  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM X.509 certificate", e);
    }
  }

  private Issued issue(
      String commonName, List<String> organisations, KeyPurposeId purpose, GeneralNames sans) {
    KeyPair keys = rsaKeys();
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    organisations.forEach(o -> subject.addRDN(BCStyle.O, o));
    subject.addRDN(BCStyle.CN, commonName);
    X509v3CertificateBuilder builder = builder(caName, subject.build(), keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (sans != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, sans);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    X509Certificate certificate = sign(builder, caKeys.getPrivate());
    return new Issued(pem("CERTIFICATE", encoded(certificate)), privateKeyPem(keys.getPrivate()));
  }

  private static X509v3CertificateBuilder builder(String issuer, X500Name subject, KeyPair keys) {
    // valid from a few minutes ago: the binaries check notBefore against their own clock
    return new JcaX509v3CertificateBuilder(
        commonName(issuer),
        new BigInteger(64, RANDOM),
        Date.from(Instant.now().minus(Duration.ofMinutes(5))),
        Date.from(Instant.now().plus(VALIDITY)),
        subject,
        keys.getPublic());
  }

  private static X500Name commonName(String name) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  private static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make RSA keys", e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String privateKeyPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static boolean isIpAddress(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).getHostAddress() != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
