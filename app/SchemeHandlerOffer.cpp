#include "app/SchemeHandlerOffer.h"

#include <QLoggingCategory>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace {
Q_LOGGING_CATEGORY(lcSchemeOffer, "handoff.scheme", QtInfoMsg)
}

namespace handoff::app {

SchemeHandlerOffer::SchemeHandlerOffer(SchemeHandlerRegistration registration, QSettings* settings, QObject* parent)
    : QObject(parent), m_registration(std::move(registration)), m_settings(settings)
{
}

SchemeHandlerOffer::~SchemeHandlerOffer()
{
    delete m_question.data(); // a top-level widget: no QObject parent to take it along
}

bool SchemeHandlerOffer::isDue() const
{
    return m_registration.shouldAsk(*m_settings);
}

bool SchemeHandlerOffer::offerIfDue()
{
    if (m_question || !isDue())
        return false;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Open handoff:// links with Handoff?"),
                                tr("Nothing on this computer opens handoff:// links yet."), QMessageBox::NoButton);
    box->setInformativeText(tr("Agents send these links when they need your help with a sign-in step. "
                               "Should your desktop open them with Handoff? You can change this later in "
                               "your desktop's default applications."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto* yes = box->addButton(tr("Open Links with Handoff"), QMessageBox::AcceptRole);
    auto* no = box->addButton(tr("Not Now"), QMessageBox::RejectRole);
    yes->setObjectName(QStringLiteral("registerSchemeHandler"));
    no->setObjectName(QStringLiteral("declineSchemeHandler"));
    box->setDefaultButton(yes);
    box->setEscapeButton(no);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, yes](QAbstractButton* clicked) { onQuestionFinished(clicked == yes); });
    m_question = box;
    box->open(); // not exec(): a link given at start opens meanwhile
    return true;
}

void SchemeHandlerOffer::onQuestionFinished(bool registerAccepted)
{
    if (Result<void> done = answer(registerAccepted); !done) {
        QMessageBox::warning(nullptr, tr("Handoff could not register for handoff:// links"), done.error().message);
    }
}

Result<void> SchemeHandlerOffer::answer(bool registerAccepted)
{
    SchemeHandlerRegistration::rememberAnswer(*m_settings, registerAccepted);
    m_settings->sync();
    if (!registerAccepted) {
        qCInfo(lcSchemeOffer) << "The person chose not to open handoff:// links with Handoff";
        Q_EMIT answered(false);
        return {};
    }
    Result<void> registered = m_registration.registerThisApp();
    if (!registered)
        qCWarning(lcSchemeOffer).noquote() << "Registration failed:" << registered.error().code;
    Q_EMIT answered(registered.ok());
    return registered;
}

} // namespace handoff::app
