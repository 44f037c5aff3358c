#include "core/crypto/OpenSsl.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include <algorithm>
#include <array>

Q_LOGGING_CATEGORY(lcCrypto, "handoff.crypto", QtInfoMsg)

namespace handoff::crypto::detail {

namespace {

// OpenSSL's own name for P-256 (it also accepts "P-256" but reports this one).
char p256GroupName[] = SN_X9_62_prime256v1;

Error invalidPoint(const QString& reason)
{
    return Error { QStringLiteral("invalid_point"), reason };
}

Result<EvpPkeyPtr> fromData(OSSL_PARAM* params, int selection)
{
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
        return opensslError("EVP_PKEY_fromdata_init");
    }
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params) != 1 || raw == nullptr) {
        EVP_PKEY_free(raw);
        return opensslError("EVP_PKEY_fromdata");
    }
    return EvpPkeyPtr(raw);
}

EcGroupPtr p256Group()
{
    return EcGroupPtr(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
}

} // namespace

const unsigned char* bytesOf(QByteArrayView view)
{
    static const unsigned char empty = 0;
    return view.isEmpty() ? &empty : reinterpret_cast<const unsigned char*>(view.data());
}

unsigned char* bytesOf(QByteArray& array)
{
    static unsigned char empty = 0;
    return array.isEmpty() ? &empty : reinterpret_cast<unsigned char*>(array.data());
}

void clearOpensslErrors()
{
    ERR_clear_error();
}

Error opensslError(const char* operation)
{
    const unsigned long code = ERR_peek_error();
    QString reason;
    if (code != 0) {
        const char* text = ERR_reason_error_string(code);
        if (text != nullptr) {
            reason = QString::fromLatin1(text);
        } else {
            std::array<char, 256> buffer {};
            ERR_error_string_n(code, buffer.data(), buffer.size());
            reason = QString::fromLatin1(buffer.data());
        }
    } else {
        reason = QStringLiteral("no reason given");
    }
    ERR_clear_error();
    // OpenSSL's reason strings never contain key material or input data.
    qCDebug(lcCrypto, "%s failed in OpenSSL: %s", operation, qUtf8Printable(reason));
    return Error { QStringLiteral("openssl_error"),
                   QStringLiteral("%1 failed in OpenSSL: %2").arg(QString::fromLatin1(operation), reason) };
}

Result<EvpPkeyPtr> importP256PublicPoint(QByteArrayView point)
{
    // SEC 1 encodes the point at infinity as the single byte 0x00; some encoders
    // write it as all zeros of the full length. Name it rather than report a
    // length or prefix error.
    if (!point.isEmpty() && std::all_of(point.begin(), point.end(), [](char c) { return c == '\0'; })) {
        return invalidPoint(QStringLiteral("the public point is the point at infinity (an all-zero encoding)"));
    }
    if (point.size() != P256PointSize) {
        return invalidPoint(QStringLiteral("a P-256 public point must be %1 bytes (0x04 || X || Y), got %2 bytes")
                                .arg(P256PointSize)
                                .arg(point.size()));
    }
    const auto prefix = static_cast<unsigned char>(point.front());
    if (prefix != 0x04) {
        return invalidPoint(QStringLiteral("a P-256 public point must start with 0x04 (uncompressed form), got 0x%1")
                                .arg(prefix, 2, 16, QLatin1Char('0')));
    }
    const QByteArrayView coordinates = point.sliced(1);
    if (std::all_of(coordinates.begin(), coordinates.end(), [](char c) { return c == '\0'; })) {
        return invalidPoint(QStringLiteral("the public point is the point at infinity (all-zero coordinates)"));
    }

    const EcGroupPtr group = p256Group();
    const BnCtxPtr bnCtx(BN_CTX_new());
    const BignumPtr x(BN_bin2bn(bytesOf(coordinates.first(P256FieldSize)), P256FieldSize, nullptr));
    const BignumPtr y(BN_bin2bn(bytesOf(coordinates.sliced(P256FieldSize)), P256FieldSize, nullptr));
    EcPointPtr ecPoint(group ? EC_POINT_new(group.get()) : nullptr);
    if (!group || !bnCtx || !x || !y || !ecPoint) {
        return opensslError("preparing a P-256 point");
    }
    const BIGNUM* prime = EC_GROUP_get0_field(group.get());
    if (prime == nullptr) {
        return opensslError("EC_GROUP_get0_field");
    }
    if (BN_cmp(x.get(), prime) >= 0 || BN_cmp(y.get(), prime) >= 0) {
        return invalidPoint(QStringLiteral("a coordinate of the public point is not below the P-256 field prime"));
    }
    if (EC_POINT_set_affine_coordinates(group.get(), ecPoint.get(), x.get(), y.get(), bnCtx.get()) != 1) {
        const unsigned long code = ERR_peek_last_error();
        if (ERR_GET_LIB(code) == ERR_LIB_EC && ERR_GET_REASON(code) == EC_R_POINT_IS_NOT_ON_CURVE) {
            ERR_clear_error();
            return invalidPoint(QStringLiteral("the public point is not on the P-256 curve"));
        }
        return opensslError("EC_POINT_set_affine_coordinates");
    }
    if (EC_POINT_is_at_infinity(group.get(), ecPoint.get()) == 1) {
        return invalidPoint(QStringLiteral("the public point is the point at infinity"));
    }
    if (EC_POINT_is_on_curve(group.get(), ecPoint.get(), bnCtx.get()) != 1) {
        ERR_clear_error();
        return invalidPoint(QStringLiteral("the public point is not on the P-256 curve"));
    }

    std::array<OSSL_PARAM, 3> params {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, p256GroupName, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                          const_cast<unsigned char*>(bytesOf(point)), // NOLINT: read only
                                          static_cast<size_t>(point.size())),
        OSSL_PARAM_construct_end(),
    };
    Result<EvpPkeyPtr> key = fromData(params.data(), EVP_PKEY_PUBLIC_KEY);
    if (!key) {
        return key;
    }
    // Belt and braces: OpenSSL's own full public key check (range, curve, order).
    const EvpPkeyCtxPtr checkCtx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
    if (!checkCtx) {
        return opensslError("EVP_PKEY_CTX_new_from_pkey");
    }
    if (EVP_PKEY_public_check(checkCtx.get()) != 1) {
        ERR_clear_error();
        return invalidPoint(QStringLiteral("the public point failed OpenSSL's P-256 public key check"));
    }
    return key;
}

Result<EvpPkeyPtr> importP256PrivateScalar(QByteArrayView scalar)
{
    if (scalar.size() != P256FieldSize) {
        return Error { QStringLiteral("invalid_length"),
                       QStringLiteral("a P-256 private scalar must be %1 bytes, got %2 bytes")
                           .arg(P256FieldSize)
                           .arg(scalar.size()) };
    }
    const EcGroupPtr group = p256Group();
    const BnCtxPtr bnCtx(BN_CTX_secure_new());
    const SecretBignumPtr d(BN_secure_new());
    if (!group || !bnCtx || !d || BN_bin2bn(bytesOf(scalar), P256FieldSize, d.get()) == nullptr) {
        return opensslError("preparing a P-256 private scalar");
    }
    const BIGNUM* order = EC_GROUP_get0_order(group.get());
    if (order == nullptr) {
        return opensslError("EC_GROUP_get0_order");
    }
    if (BN_is_zero(d.get()) || BN_cmp(d.get(), order) >= 0) {
        return Error { QStringLiteral("invalid_key"),
                       QStringLiteral("a P-256 private scalar must lie between 1 and the group order minus 1") };
    }
    const EcPointPtr publicPoint(EC_POINT_new(group.get()));
    if (!publicPoint || EC_POINT_mul(group.get(), publicPoint.get(), d.get(), nullptr, nullptr, bnCtx.get()) != 1) {
        return opensslError("EC_POINT_mul");
    }
    std::array<unsigned char, P256PointSize> encoded {};
    if (EC_POINT_point2oct(group.get(), publicPoint.get(), POINT_CONVERSION_UNCOMPRESSED, encoded.data(),
                           encoded.size(), bnCtx.get())
        != encoded.size()) {
        return opensslError("EC_POINT_point2oct");
    }

    const ParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, p256GroupName, 0) != 1
        || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1
        || OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), encoded.size())
            != 1) {
        return opensslError("OSSL_PARAM_BLD_push");
    }
    const ParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    if (!params) {
        return opensslError("OSSL_PARAM_BLD_to_param");
    }
    return fromData(params.get(), EVP_PKEY_KEYPAIR);
}

Result<EvpPkeyPtr> generateP256()
{
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_group_name(ctx.get(), p256GroupName) != 1) {
        return opensslError("preparing P-256 key generation");
    }
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &raw) != 1 || raw == nullptr) {
        EVP_PKEY_free(raw);
        return opensslError("EVP_PKEY_generate");
    }
    return EvpPkeyPtr(raw);
}

bool isP256(const EVP_PKEY* key)
{
    if (key == nullptr || EVP_PKEY_is_a(key, "EC") != 1) {
        return false;
    }
    std::array<char, 64> name {};
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, name.data(), name.size(), &length) != 1) {
        ERR_clear_error();
        return false;
    }
    return OBJ_sn2nid(name.data()) == NID_X9_62_prime256v1;
}

Result<QByteArray> encodeP256PublicPoint(const EVP_PKEY* key)
{
    BIGNUM* rawX = nullptr;
    BIGNUM* rawY = nullptr;
    const bool gotX = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &rawX) == 1;
    const BignumPtr x(rawX);
    const bool gotY = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &rawY) == 1;
    const BignumPtr y(rawY);
    if (!gotX || !gotY || !x || !y) {
        return opensslError("reading the P-256 public point");
    }
    QByteArray encoded(P256PointSize, '\0');
    encoded[0] = '\x04';
    auto* out = reinterpret_cast<unsigned char*>(encoded.data());
    if (BN_bn2binpad(x.get(), out + 1, P256FieldSize) != P256FieldSize
        || BN_bn2binpad(y.get(), out + 1 + P256FieldSize, P256FieldSize) != P256FieldSize) {
        return opensslError("BN_bn2binpad");
    }
    return encoded;
}

Result<P256Key> withPublicPoint(Result<EvpPkeyPtr> key)
{
    if (!key) {
        return key.error();
    }
    Result<QByteArray> point = encodeP256PublicPoint(key->get());
    if (!point) {
        return point.error();
    }
    return P256Key { std::move(*key), std::move(*point) };
}

} // namespace handoff::crypto::detail
