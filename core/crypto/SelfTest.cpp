#include "core/crypto/SelfTest.h"

#include "core/crypto/AeadCipher.h"
#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"
#include "core/crypto/EcdhKeyPair.h"
#include "core/crypto/Hkdf.h"
#include "core/crypto/SigningKey.h"

#include <QByteArray>

namespace handoff::crypto {

namespace {

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text));
}

Error failed(const char* check, const QString& detail = QString())
{
    QString message = QStringLiteral("crypto self-test \"%1\" failed").arg(QString::fromLatin1(check));
    if (!detail.isEmpty()) {
        message += QStringLiteral(": ") + detail;
    }
    message += QStringLiteral("; the OpenSSL library in use does not compute the published answers");
    return Error { QStringLiteral("self_test_failed"), message };
}

Result<void> checkSha256()
{
    // FIPS 180-2 appendix B.1: SHA-256("abc").
    if (Digest::sha256("abc") != hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")) {
        return failed("SHA-256 abc");
    }
    // RFC 4231 test case 2.
    if (Digest::hmacSha256("Jefe", "what do ya want for nothing?")
        != hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")) {
        return failed("HMAC-SHA256 RFC 4231 case 2");
    }
    return Result<void>::success();
}

Result<void> checkHkdf()
{
    // RFC 5869 appendix A.1.
    const Result<QByteArray> okm = Hkdf::sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                                                hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
    if (!okm) {
        return failed("HKDF-SHA256 RFC 5869 A.1", okm.error().message);
    }
    if (*okm != hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")) {
        return failed("HKDF-SHA256 RFC 5869 A.1", QStringLiteral("wrong output"));
    }
    return Result<void>::success();
}

Result<void> checkAesGcm()
{
    // McGrew-Viega GCM specification, test case 16 (AES-256, 20-byte AAD, 60-byte plaintext).
    const QByteArray key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    const QByteArray nonce = hex("cafebabefacedbaddecaf888");
    const QByteArray aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    const QByteArray plaintext = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    const QByteArray ciphertext = hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                                      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
    const QByteArray tag = hex("76fc6ece0f4e1768cddf8853bb2d551b");

    const Result<AeadCipher> cipher = AeadCipher::create(key);
    if (!cipher) {
        return failed("AES-256-GCM test case 16", cipher.error().message);
    }
    const Result<Sealed> sealed = cipher->encrypt(nonce, aad, plaintext);
    if (!sealed || sealed->ciphertext != ciphertext || sealed->tag != tag) {
        return failed("AES-256-GCM test case 16 encrypt");
    }
    const Result<QByteArray> opened = cipher->decrypt(nonce, aad, ciphertext, tag);
    if (!opened || *opened != plaintext) {
        return failed("AES-256-GCM test case 16 decrypt");
    }
    QByteArray badTag = tag;
    badTag[0] = static_cast<char>(badTag[0] ^ 0x01);
    if (cipher->decrypt(nonce, aad, ciphertext, badTag).ok()) {
        return failed("AES-256-GCM rejects a wrong tag");
    }
    return Result<void>::success();
}

Result<void> checkEcdh()
{
    // RFC 5903 section 8.1: 256-bit random ECP group.
    const Result<EcdhKeyPair> initiator
        = EcdhKeyPair::fromPrivateScalar(hex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433"));
    const Result<EcdhKeyPair> responder
        = EcdhKeyPair::fromPrivateScalar(hex("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53"));
    if (!initiator || !responder) {
        return failed("ECDH P-256 RFC 5903 8.1", QStringLiteral("key import failed"));
    }
    const QByteArray gi = hex("04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
                              "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3");
    const QByteArray gr = hex("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
                              "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");
    const QByteArray girx = hex("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
    if (initiator->publicPoint() != gi || responder->publicPoint() != gr) {
        return failed("ECDH P-256 RFC 5903 8.1", QStringLiteral("wrong public point"));
    }
    const Result<SecretBytes> z1 = initiator->deriveSharedSecret(gr);
    const Result<SecretBytes> z2 = responder->deriveSharedSecret(gi);
    if (!z1 || !z2 || !ConstantTime::equal(z1->bytes(), girx) || !ConstantTime::equal(z2->bytes(), girx)) {
        return failed("ECDH P-256 RFC 5903 8.1", QStringLiteral("wrong shared secret"));
    }
    return Result<void>::success();
}

Result<void> checkEcdsa()
{
    // RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample".
    const QByteArray publicPoint = hex("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                                       "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    QByteArray signature = hex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                               "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
    if (!SigningKey::verify(publicPoint, "sample", signature)) {
        return failed("ECDSA P-256 RFC 6979 A.2.5 verify");
    }
    signature[63] = static_cast<char>(signature[63] ^ 0x01);
    if (SigningKey::verify(publicPoint, "sample", signature)) {
        return failed("ECDSA P-256 rejects an altered signature");
    }

    const Result<SigningKey> key
        = SigningKey::fromPrivateScalar(hex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"));
    if (!key || key->publicPoint() != publicPoint) {
        return failed("ECDSA P-256 RFC 6979 A.2.5 public key");
    }
    const QByteArray message("handoff self-test");
    const Result<QByteArray> ours = key->sign(message);
    if (!ours || ours->size() != SigningKey::SignatureSize || !SigningKey::verify(publicPoint, message, *ours)) {
        return failed("ECDSA P-256 sign/verify round trip");
    }
    if (SigningKey::verify(publicPoint, QByteArray("handoff self-test!"), *ours)) {
        return failed("ECDSA P-256 rejects a signature over other data");
    }
    return Result<void>::success();
}

} // namespace

Result<void> SelfTest::run()
{
    for (const auto check : { checkSha256, checkHkdf, checkAesGcm, checkEcdh, checkEcdsa }) {
        Result<void> result = check();
        if (!result) {
            return result;
        }
    }
    return Result<void>::success();
}

} // namespace handoff::crypto
