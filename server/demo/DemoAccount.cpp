#include "server/demo/DemoAccount.h"

#include "core/crypto/ConstantTime.h"
#include "core/crypto/Digest.h"

namespace handoff::server {

const DemoAccount& DemoAccount::alex()
{
    static const DemoAccount account = [] {
        DemoAccount a;
        a.m_userName = QStringLiteral("alex");
        a.m_password = QStringLiteral("harbor-lights-42");
        a.m_fullName = QStringLiteral("Alex Morgan");
        a.m_firstName = QStringLiteral("Alex");
        a.m_phoneLastDigits = QStringLiteral("47");
        a.m_accounts = {
            {BankAccount::Kind::Checking, QStringLiteral("Everyday Checking"), QStringLiteral("4821"), 481237, QStringLiteral("Available balance")},
            {BankAccount::Kind::Savings, QStringLiteral("High-Yield Savings"), QStringLiteral("9034"), 1265000, QStringLiteral("4.10% APY")},
            {BankAccount::Kind::Credit, QStringLiteral("Northwind Rewards Visa"), QStringLiteral("7712"), -31845,
             QStringLiteral("Current balance · due on the 28th")},
        };
        a.m_transactions = {
            {0, QStringLiteral("Fourth Coffee"), QStringLiteral("Dining"), -640},
            {1, QStringLiteral("Payroll · Contoso Ltd"), QStringLiteral("Income"), 325000},
            {2, QStringLiteral("City Power & Light"), QStringLiteral("Utilities"), -8419},
            {3, QStringLiteral("Tailspin Toys"), QStringLiteral("Shopping"), -4299},
            {4, QStringLiteral("Transfer to Savings ••9034"), QStringLiteral("Transfer"), -50000},
            {6, QStringLiteral("Wide World Importers"), QStringLiteral("Groceries"), -12756},
            {8, QStringLiteral("Margie's Travel"), QStringLiteral("Travel"), -21900},
            {9, QStringLiteral("ATM withdrawal · 5th Ave"), QStringLiteral("Cash"), -6000},
        };
        return a;
    }();
    return account;
}

bool DemoAccount::matches(QStringView userName, QStringView password) const
{
    const bool nameMatches = userName.trimmed().compare(m_userName, Qt::CaseInsensitive) == 0;
    // Digests first, so that the comparison's time depends on neither length nor content.
    const bool passwordMatches = crypto::ConstantTime::equal(crypto::Digest::sha256(password.toUtf8()),
                                                             crypto::Digest::sha256(m_password.toUtf8()));
    return nameMatches && passwordMatches;
}

} // namespace handoff::server
