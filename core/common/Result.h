#pragma once

// Errors as values. Anything that can fail on outside input returns a Result:
// either the value or an Error with a stable machine code and a human message.
// [[nodiscard]] so that a caller cannot silently ignore a failure.

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace handoff {

struct Error final {
    QString code;    // stable, machine-readable: "bad_tag", "invalid_point", ...
    QString message; // for a person: says what went wrong and, where it can, what to do
};

template <typename T>
class [[nodiscard]] Result final {
public:
    Result(T value) : m_state(std::move(value)) {} // NOLINT(google-explicit-constructor): a value is a success
    Result(Error error) : m_state(std::move(error)) {} // NOLINT(google-explicit-constructor)

    static Result failure(QString code, QString message) { return Result(Error{std::move(code), std::move(message)}); }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(m_state); }
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const Error& error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> final {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {} // NOLINT(google-explicit-constructor)

    static Result success() { return Result(); }
    static Result failure(QString code, QString message) { return Result(Error{std::move(code), std::move(message)}); }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace handoff
