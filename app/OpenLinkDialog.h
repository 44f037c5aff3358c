#pragma once

// "Open link…": the person pastes a session link (the https form an agent
// prints, or a handoff:// link) or a pairing link from a server's operator.
// The link is checked as it is typed, with the parser's reason shown under the
// field, and handed to the LinkRouter on Open.

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace handoff::app {

class LinkRouter;

class OpenLinkDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenLinkDialog)

public:
    explicit OpenLinkDialog(LinkRouter* router, QWidget* parent = nullptr);

    QLineEdit* field() const { return m_field; }
    QLabel* errorLabel() const { return m_error; }

    void accept() override;

    // The reason `text` cannot be opened, or an empty string when it can.
    static QString problemWith(const QString& text);

private:
    void validate();

    LinkRouter* m_router;
    QLineEdit* m_field = nullptr;
    QLabel* m_error = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace handoff::app
