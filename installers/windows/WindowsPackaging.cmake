# Windows: everything in <prefix>\bin (the programs beside the Qt, OpenSSL and
# QtKeychain DLLs they load), an NSIS installer made by CPack that registers the
# handoff:// protocol for the installing user (handoff-protocol.nsh) and adds a
# start-menu entry. Written for MSVC or MinGW builds of Qt 6.4+; it cannot be
# built on the Linux machines of this project.
#
#   cmake --build build --config Release && cd build && cpack -G NSIS -C Release
#
# Included by cmake/Packaging.cmake.

set(windows_dir ${PROJECT_SOURCE_DIR}/installers/windows)

# windeployqt sits beside qmake in Qt's bin folder.
get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(_qt_bin_dir "${_qmake}" DIRECTORY)
find_program(HANDOFF_WINDEPLOYQT windeployqt HINTS "${_qt_bin_dir}" REQUIRED)

# The MSVC runtime DLLs go beside the programs (no separate redistributable).
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT runtime)
include(InstallRequiredSystemLibraries)

# handoff_windows_deploy(<target> <component>): installs the program, the DLLs it
# links that are not Qt's (OpenSSL's libcrypto, QtKeychain) and, by windeployqt,
# Qt's DLLs and plugins (platform, TLS backends, SQL drivers, styles).
function(handoff_windows_deploy target component)
    install(TARGETS ${target}
            RUNTIME DESTINATION bin COMPONENT ${component}
            RUNTIME_DEPENDENCY_SET ${target}-dlls)
    install(RUNTIME_DEPENDENCY_SET ${target}-dlls
            DESTINATION bin COMPONENT ${component}
            PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-" "^Qt6" "^qt6"
            POST_EXCLUDE_REGEXES ".*[/\\\\][Ss]ystem32[/\\\\].*" ".*[/\\\\][Ww]indows[/\\\\].*"
            DIRECTORIES "${_qt_bin_dir}" $<TARGET_FILE_DIR:OpenSSL::Crypto>/../bin)
    install(CODE "
        set(_exe \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/$<TARGET_FILE_NAME:${target}>\")
        message(STATUS \"windeployqt \${_exe}\")
        execute_process(
            COMMAND \"${HANDOFF_WINDEPLOYQT}\" --no-translations --no-system-d3d-compiler --no-opengl-sw
                    --no-compiler-runtime \"\${_exe}\"
            RESULT_VARIABLE _result)
        if(NOT _result EQUAL 0)
            message(FATAL_ERROR \"windeployqt failed on \${_exe}: \${_result}\")
        endif()
        " COMPONENT ${component})
endfunction()

if(TARGET handoff)
    # A window, no console.
    set_target_properties(handoff PROPERTIES WIN32_EXECUTABLE ON)
    handoff_windows_deploy(handoff app)
endif()
if(TARGET handoff-server)
    handoff_windows_deploy(handoff-server server)
endif()
if(TARGET handoff-agent)
    handoff_windows_deploy(handoff-agent agent)
endif()

# Qt's TLS backend loads OpenSSL's libssl at run time: the linker never sees it.
file(GLOB _openssl_ssl_dlls "${OPENSSL_INCLUDE_DIR}/../bin/libssl-3*.dll")
if(_openssl_ssl_dlls)
    install(FILES ${_openssl_ssl_dlls} DESTINATION bin COMPONENT runtime)
else()
    message(WARNING "libssl-3*.dll not found beside OpenSSL (${OPENSSL_INCLUDE_DIR}/../bin): "
                    "HTTPS and WSS will not work in the installed programs")
endif()

# One installer holding every program built: they share the Qt DLLs in bin\,
# which separate NSIS components could not remove one by one.
set(CPACK_GENERATOR NSIS)
set(CPACK_MONOLITHIC_INSTALL ON)
set(CPACK_NSIS_PACKAGE_NAME "Handoff")
set(CPACK_NSIS_DISPLAY_NAME "Handoff ${PROJECT_VERSION}")
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "Handoff")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "${HANDOFF_PACKAGE_CONTACT}")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/handoff.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/handoff.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\handoff.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
if(TARGET handoff)
    # Start menu: "Handoff" starts the app (the uninstaller's entry comes with it).
    set(CPACK_PACKAGE_EXECUTABLES "handoff" "Handoff")
    # No "run Handoff now" on the finish page: the installer runs elevated, and
    # the app would inherit that.
    # The protocol macros, then their use in the install and uninstall sections.
    # CPACK_VERBATIM_VARIABLES (cmake/Packaging.cmake) keeps the quotes as written.
    file(TO_NATIVE_PATH "${windows_dir}/handoff-protocol.nsh" _protocol_nsh)
    set(CPACK_NSIS_DEFINES "!include \"${_protocol_nsh}\"")
    set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "!insertmacro HandoffRegisterProtocol")
    set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "!insertmacro HandoffUnregisterProtocol")
endif()
