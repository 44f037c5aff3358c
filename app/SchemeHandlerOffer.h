#pragma once

// The first-start question "Open handoff:// links with Handoff?". Handoff never
// makes itself the handler of handoff:// links on its own: when nothing handles
// them yet and the person has not answered before, it asks once, without
// blocking whatever link the app was started with, remembers the answer, and
// registers only on a yes (SchemeHandlerRegistration does the platform work).
// An installed package registers through the desktop database, so an installed
// app is not asked; another app's registration is left alone.

#include "app/platform/SchemeHandlerRegistration.h"
#include "core/common/Result.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>

class QSettings;

namespace handoff::app {

class SchemeHandlerOffer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchemeHandlerOffer)

public:
    // `settings` must outlive this object.
    SchemeHandlerOffer(SchemeHandlerRegistration registration, QSettings* settings, QObject* parent = nullptr);
    ~SchemeHandlerOffer() override;

    // Whether the question is due: no handler, and never answered.
    bool isDue() const;
    // Shows the question (not modal) when it is due; true if it did.
    bool offerIfDue();
    // Records the answer and, on a yes, registers. The error is for the person.
    Result<void> answer(bool registerAccepted);

    QMessageBox* question() const { return m_question; }

Q_SIGNALS:
    // After answer(): whether Handoff now handles handoff:// links.
    void answered(bool registered);

private:
    void onQuestionFinished(bool registerAccepted);

    SchemeHandlerRegistration m_registration;
    QSettings* m_settings;
    QPointer<QMessageBox> m_question;
};

} // namespace handoff::app
