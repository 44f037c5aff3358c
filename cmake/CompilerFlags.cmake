# Warnings, hardening and sanitizers for every target of the project.

add_compile_options(-Wall -Wextra -Wpedantic)
if(HANDOFF_WERROR)
    add_compile_options(-Werror)
endif()

# Hardening: stack protector, fortified libc calls (needs optimisation), checked
# standard-library containers.
add_compile_options(-fstack-protector-strong -D_GLIBCXX_ASSERTIONS)
add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)

if(HANDOFF_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

# Qt: no implicit string conversions that hide encoding bugs, no keyword macros.
add_compile_definitions(QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
                        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_NO_KEYWORDS)

# Full RELRO and immediate binding: the GOT is read-only once the program runs.
add_link_options(-Wl,-z,relro,-z,now)
