#pragma once

// Past approval requests of the paired user, newest first: when, who asked, the
// binding message, the scope, what became of it and on which device. It shows
// what the device channel delivers (DeviceClient::historyReceived) and asks for a
// fresh list with refreshRequested(); it has no networking of its own.

#include "core/device/ApprovalHistoryEntry.h"

#include <QList>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace handoff::ui {

class HistoryWindow final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWindow)

public:
    explicit HistoryWindow(QWidget* parent = nullptr);
    ~HistoryWindow() override;

    void setEntries(const QList<device::ApprovalHistoryEntry>& entries);
    // A line above the table on what is (not) shown: loading, offline accounts, no
    // answer. Empty hides it; while it shows, an empty table is not called empty.
    void setStatus(const QString& text);
    QString statusText() const;
    bool isShowingEmpty() const;
    QTableWidget* table() const { return m_table; }

    enum Column { AskedColumn, ClientColumn, MessageColumn, ScopeColumn, OutcomeColumn, DeviceColumn, ColumnCount };
    static QString outcomeText(const QString& outcome);

Q_SIGNALS:
    void refreshRequested();

private:
    QTableWidget* m_table = nullptr;
    QLabel* m_empty = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace handoff::ui
