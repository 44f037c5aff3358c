#pragma once

// The one customer of the demo bank: sign-in name, password and what the account
// page shows. The password is public on purpose (printed to the operator's
// console at start, written in resources/demo-site/README.md): the demo exists to
// let a person type it through Handoff, never to protect anything.

#include <QList>
#include <QString>
#include <QStringView>

namespace handoff::server {

class DemoAccount final {
public:
    struct BankAccount final {
        enum class Kind { Checking, Savings, Credit };
        Kind kind;
        QString name;        // "Everyday Checking"
        QString number;      // last four digits
        qint64 balanceCents; // negative for money owed
        QString note;        // "Available balance"
    };
    struct Transaction final {
        int daysAgo;
        QString description;
        QString category;
        qint64 amountCents; // negative for money out
    };

    static const DemoAccount& alex();

    QString userName() const { return m_userName; }
    QString password() const { return m_password; }
    QString fullName() const { return m_fullName; }
    QString firstName() const { return m_firstName; }
    QString phoneLastDigits() const { return m_phoneLastDigits; }
    const QList<BankAccount>& accounts() const { return m_accounts; }
    const QList<Transaction>& transactions() const { return m_transactions; }

    // User names compare without case, as banks do; passwords exactly, in constant time.
    bool matches(QStringView userName, QStringView password) const;

private:
    DemoAccount() = default;

    QString m_userName;
    QString m_password;
    QString m_fullName;
    QString m_firstName;
    QString m_phoneLastDigits;
    QList<BankAccount> m_accounts;
    QList<Transaction> m_transactions;
};

} // namespace handoff::server
