# macOS: Handoff.app as a bundle (Info.plist with the handoff:// URL type, the
# .icns icon), made self-contained by macdeployqt at install time, optionally
# signed for the hardened runtime, and a drag-and-drop DMG made by CPack.
# handoff-server and handoff-agent are command-line programs; on macOS they are
# built and run from the build tree, not packaged. Written for Qt 6.4+ on macOS;
# it cannot be built on the Linux machines of this project.
#
#   cmake -B build -DHANDOFF_MACOS_SIGNING_IDENTITY="Developer ID Application: ..."
#   cmake --build build && cd build && cpack -G DragNDrop
#
# Included by cmake/Packaging.cmake.

set(macos_dir ${PROJECT_SOURCE_DIR}/installers/macos)
set(HANDOFF_MACOS_SIGNING_IDENTITY "" CACHE STRING
    "codesign identity for Handoff.app (empty: not signed, for local use only)")

if(TARGET handoff)
    set(icon ${PROJECT_SOURCE_DIR}/resources/icons/handoff.icns)
    target_sources(handoff PRIVATE ${icon})
    set_source_files_properties(${icon} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set_target_properties(handoff PROPERTIES
        MACOSX_BUNDLE ON
        OUTPUT_NAME Handoff # the bundle is Handoff.app
        MACOSX_BUNDLE_INFO_PLIST ${macos_dir}/Info.plist.in
        MACOSX_BUNDLE_BUNDLE_NAME "Handoff"
        MACOSX_BUNDLE_GUI_IDENTIFIER "${HANDOFF_APP_ID}"
        MACOSX_BUNDLE_ICON_FILE handoff.icns
        MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
        MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
        MACOSX_BUNDLE_COPYRIGHT "Copyright 2026 ${HANDOFF_PACKAGE_VENDOR}")

    install(TARGETS handoff BUNDLE DESTINATION . COMPONENT app)

    # macdeployqt copies Qt's frameworks and plugins into the bundle and rewrites
    # the load paths; with an identity it signs every piece with the hardened
    # runtime and a secure timestamp, then the bundle with our entitlements.
    get_target_property(_qmake Qt6::qmake IMPORTED_LOCATION)
    get_filename_component(_qt_bin_dir "${_qmake}" DIRECTORY)
    find_program(HANDOFF_MACDEPLOYQT macdeployqt HINTS "${_qt_bin_dir}" REQUIRED)
    set(_sign_options "")
    if(HANDOFF_MACOS_SIGNING_IDENTITY)
        set(_sign_options "\"-codesign=${HANDOFF_MACOS_SIGNING_IDENTITY}\" -hardened-runtime -timestamp")
    endif()
    install(CODE "
        set(_app \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/Handoff.app\")
        message(STATUS \"macdeployqt \${_app}\")
        execute_process(COMMAND \"${HANDOFF_MACDEPLOYQT}\" \"\${_app}\" -verbose=1 ${_sign_options}
                        RESULT_VARIABLE _result)
        if(NOT _result EQUAL 0)
            message(FATAL_ERROR \"macdeployqt failed on \${_app}: \${_result}\")
        endif()
        if(NOT \"${HANDOFF_MACOS_SIGNING_IDENTITY}\" STREQUAL \"\")
            execute_process(COMMAND codesign --force --options runtime --timestamp
                                    --entitlements \"${macos_dir}/entitlements.plist\"
                                    --sign \"${HANDOFF_MACOS_SIGNING_IDENTITY}\" \"\${_app}\"
                            RESULT_VARIABLE _result)
            if(NOT _result EQUAL 0)
                message(FATAL_ERROR \"codesign failed on \${_app}: \${_result}\")
            endif()
        endif()
        " COMPONENT app)
endif()

# A DMG with Handoff.app and a link to /Applications to drag it onto.
set(CPACK_GENERATOR DragNDrop)
set(CPACK_COMPONENTS_ALL app)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DMG_VOLUME_NAME "Handoff")
set(CPACK_DMG_FORMAT UDZO)
set(CPACK_PACKAGE_FILE_NAME "Handoff-${PROJECT_VERSION}")
