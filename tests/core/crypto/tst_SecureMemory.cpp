// Wiping of secrets and the ownership rules of SecretBytes.

#include "core/crypto/SecureMemory.h"

#include <QTest>

#include <algorithm>
#include <array>

using handoff::crypto::SecretBytes;
using handoff::crypto::wipe;

class TestSecureMemory final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wipeRawBufferClears();
    void wipeByteArrayEmpties();
    void wipeLeavesSharedCopiesIntact();
    void wipeAfterRemovingFromTheFront();
    void wipeEmptyAndNull();
    void secretBytesHoldsAndClears();
    void secretBytesMove();
    void secretBytesMoveAssign();
};

void TestSecureMemory::wipeRawBufferClears()
{
    std::array<char, 32> buffer {};
    buffer.fill('s');
    wipe(buffer.data(), 16);
    for (std::size_t i = 0; i < 16; ++i) {
        QCOMPARE(buffer[i], '\0');
    }
    for (std::size_t i = 16; i < buffer.size(); ++i) {
        QCOMPARE(buffer[i], 's');
    }
    wipe(buffer.data(), static_cast<qsizetype>(buffer.size()));
    QVERIFY(std::all_of(buffer.begin(), buffer.end(), [](char c) { return c == '\0'; }));
    wipe(nullptr, 10); // harmless
    wipe(buffer.data(), -1); // harmless
}

void TestSecureMemory::wipeByteArrayEmpties()
{
    QByteArray secret("correct horse battery staple");
    secret.detach();
    wipe(secret);
    QVERIFY(secret.isEmpty());
    QCOMPARE(secret.size(), 0);
}

void TestSecureMemory::wipeLeavesSharedCopiesIntact()
{
    // Wiping one holder of a shared buffer must not corrupt another holder.
    QByteArray original("shared secret");
    original.detach();
    const QByteArray copy = original;
    wipe(original);
    QVERIFY(original.isEmpty());
    QCOMPARE(copy, QByteArray("shared secret"));
}

void TestSecureMemory::wipeAfterRemovingFromTheFront()
{
    // Qt 6 removes from the front by moving the start pointer, leaving free space
    // (with old secret bytes) before data(): the wipe must cover the whole
    // allocation without running past its end (AddressSanitizer checks that).
    QByteArray secret(100, 's');
    secret.detach();
    secret.remove(0, 60);
    QCOMPARE(secret.size(), 40);
    wipe(secret);
    QVERIFY(secret.isEmpty());

    QByteArray grown(10, 's');
    grown.reserve(1000);
    grown.append(QByteArray(500, 't'));
    grown.chop(400);
    wipe(grown);
    QVERIFY(grown.isEmpty());
}

void TestSecureMemory::wipeEmptyAndNull()
{
    QByteArray null;
    wipe(null);
    QVERIFY(null.isEmpty());
    QByteArray empty("");
    wipe(empty);
    QVERIFY(empty.isEmpty());
    // Raw data that the array does not own is never written to.
    static const char text[] = "read-only";
    QByteArray raw = QByteArray::fromRawData(text, sizeof(text) - 1);
    wipe(raw);
    QVERIFY(raw.isEmpty());
    QCOMPARE(QByteArray(text), QByteArray("read-only"));
}

void TestSecureMemory::secretBytesHoldsAndClears()
{
    SecretBytes secret(QByteArray("key material"));
    QCOMPARE(secret.size(), 12);
    QVERIFY(!secret.isEmpty());
    QCOMPARE(secret.bytes(), QByteArray("key material"));
    secret.clear();
    QVERIFY(secret.isEmpty());
    QCOMPARE(secret.size(), 0);

    const SecretBytes empty;
    QVERIFY(empty.isEmpty());
}

void TestSecureMemory::secretBytesMove()
{
    SecretBytes a(QByteArray("first"));
    SecretBytes b(std::move(a));
    QCOMPARE(b.bytes(), QByteArray("first"));
    QVERIFY(a.isEmpty()); // NOLINT(bugprone-use-after-move): moved-from is defined as empty
}

void TestSecureMemory::secretBytesMoveAssign()
{
    SecretBytes a(QByteArray("first"));
    SecretBytes b(QByteArray("second"));
    b = std::move(a);
    QCOMPARE(b.bytes(), QByteArray("first"));
    QVERIFY(a.isEmpty()); // NOLINT(bugprone-use-after-move)
    SecretBytes& self = b;
    b = std::move(self);
    QCOMPARE(b.bytes(), QByteArray("first"));
}

QTEST_GUILESS_MAIN(TestSecureMemory)
#include "tst_SecureMemory.moc"
