# How Handoff is installed and packaged. Included at the end of the top-level
# CMakeLists.txt, after every program's target exists.
#
#   - install rules for the three programs, each in its own install component:
#     app (handoff), server (handoff-server), agent (handoff-agent);
#   - each system's desktop integration (installers/<system>/*.cmake): on Linux the
#     desktop entry, icons, AppStream metainfo, man pages and the systemd unit; on
#     Windows the handoff:// protocol, start-menu entry and windeployqt; on macOS
#     the app bundle, its Info.plist and macdeployqt;
#   - CPack: one DEB package per program on Linux, an NSIS installer on Windows, a
#     drag-and-drop DMG on macOS.
#
# Every part applies only when its program is built (if(TARGET ...)), so this
# works whichever of HANDOFF_BUILD_APP/SERVER/AGENT are on.
#
#   cpack -G DEB          in the build folder: build/handoff_0.1.0-1_amd64.deb, ...

include(GNUInstallDirs)

# The desktop app's reverse-DNS id: the name of its desktop entry and AppStream
# file and its macOS bundle identifier. It is the reversed project domain
# (PROJECT_HOMEPAGE_URL); the app passes the same id to
# QGuiApplication::setDesktopFileName().
set(HANDOFF_APP_ID "invalid.handoff.Handoff" CACHE STRING "Reverse-DNS id of the desktop app")
set(HANDOFF_ICON_NAME "handoff")
set(HANDOFF_PACKAGE_VENDOR "The Handoff developers")
set(HANDOFF_PACKAGE_CONTACT "The Handoff developers <maintainers@handoff.invalid>")
# The date of this version's release, for the AppStream release entry and the
# Debian changelog. Change it together with the version in project().
set(HANDOFF_RELEASE_DATE "2026-11-22")
set(HANDOFF_PACKAGING_BINARY_DIR ${PROJECT_BINARY_DIR}/packaging)

# Directories made while installing get 0755 whatever the umask (lintian checks).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Which programs this build packages; the install component of each.
set(HANDOFF_PACKAGED_COMPONENTS "")
if(TARGET handoff)
    list(APPEND HANDOFF_PACKAGED_COMPONENTS app)
endif()
if(TARGET handoff-server)
    list(APPEND HANDOFF_PACKAGED_COMPONENTS server)
endif()
if(TARGET handoff-agent)
    list(APPEND HANDOFF_PACKAGED_COMPONENTS agent)
endif()

# Common CPack settings; each system's file adds its generator's own.
set(CPACK_PACKAGE_NAME "handoff")
set(CPACK_PACKAGE_VENDOR "${HANDOFF_PACKAGE_VENDOR}")
set(CPACK_PACKAGE_CONTACT "${HANDOFF_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Handoff")
set(CPACK_COMPONENTS_ALL ${HANDOFF_PACKAGED_COMPONENTS})
set(CPACK_STRIP_FILES ON)
# Values reach the generators exactly as written here (no second round of escaping
# for NSIS backslashes or quotes).
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_COMPONENT_APP_DISPLAY_NAME "Handoff desktop app")
set(CPACK_COMPONENT_SERVER_DISPLAY_NAME "Handoff server")
set(CPACK_COMPONENT_AGENT_DISPLAY_NAME "Handoff agent")

if(WIN32)
    include(${PROJECT_SOURCE_DIR}/installers/windows/WindowsPackaging.cmake)
elseif(APPLE)
    include(${PROJECT_SOURCE_DIR}/installers/macos/MacPackaging.cmake)
else()
    include(${PROJECT_SOURCE_DIR}/installers/linux/LinuxPackaging.cmake)
endif()

if(HANDOFF_PACKAGED_COMPONENTS)
    include(CPack)
endif()
