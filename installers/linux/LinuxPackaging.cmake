# Linux: install layout (FHS, prefix /usr in the packages) and one Debian package
# per program, built by CPack's DEB generator with dependencies from dpkg-shlibdeps.
#
#   handoff          /usr/bin/handoff, desktop entry (handoff:// handler), hicolor
#                    icons (SVG + PNG 16..512), AppStream metainfo, handoff(1)
#   handoff-server   /usr/bin/handoff-server, systemd unit, sysusers.d entry for the
#                    "handoff" system user, /etc/handoff/server.conf, handoff-server(8)
#   handoff-agent    /usr/bin/handoff-agent, handoff-agent(1)
#
# Each package also carries /usr/share/doc/<package>/copyright and
# changelog.Debian.gz, as Debian policy and lintian ask.
# Included by cmake/Packaging.cmake.

set(linux_dir ${PROJECT_SOURCE_DIR}/installers/linux)
set(resources_dir ${PROJECT_SOURCE_DIR}/resources/linux)
set(out_dir ${HANDOFF_PACKAGING_BINARY_DIR})
file(MAKE_DIRECTORY ${out_dir})

set(HANDOFF_DEBIAN_REVISION 1)
set(HANDOFF_DEBIAN_VERSION "${PROJECT_VERSION}-${HANDOFF_DEBIAN_REVISION}")

# The changelog's trailer date, RFC 5322 as Debian wants it ("Sun, 22 Nov 2026
# 12:00:00 +0000"), from the release date; the weekday by Sakamoto's method.
if(NOT HANDOFF_RELEASE_DATE MATCHES "^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$")
    message(FATAL_ERROR "HANDOFF_RELEASE_DATE must be YYYY-MM-DD, not '${HANDOFF_RELEASE_DATE}'")
endif()
set(_year ${CMAKE_MATCH_1})
math(EXPR _month "${CMAKE_MATCH_2}")  # without the leading zero
math(EXPR _day "${CMAKE_MATCH_3}")
set(_month_names Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
set(_month_offsets 0 3 2 5 0 3 5 1 4 6 2 4)
set(_weekday_names Sun Mon Tue Wed Thu Fri Sat)
math(EXPR _index "${_month} - 1")
list(GET _month_names ${_index} _month_name)
list(GET _month_offsets ${_index} _offset)
set(_y ${_year})
if(_month LESS 3)
    math(EXPR _y "${_y} - 1")
endif()
math(EXPR _weekday "(${_y} + ${_y} / 4 - ${_y} / 100 + ${_y} / 400 + ${_offset} + ${_day}) % 7")
list(GET _weekday_names ${_weekday} _weekday_name)
set(HANDOFF_RELEASE_DATE_RFC5322 "${_weekday_name}, ${_day} ${_month_name} ${_year} 12:00:00 +0000")

find_program(HANDOFF_GZIP gzip REQUIRED)

# handoff_gzip_file(<source> <output .gz> <target>): a copy of <source> compressed
# the way Debian wants it (-9, no name or timestamp, so the packages are reproducible),
# made by <target>, which builds with `all`.
function(handoff_gzip_file source output target)
    get_filename_component(output_dir ${output} DIRECTORY)
    string(REGEX REPLACE "\\.gz$" "" uncompressed ${output})
    add_custom_command(OUTPUT ${output}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${output_dir}
        COMMAND ${CMAKE_COMMAND} -E copy ${source} ${uncompressed}
        COMMAND ${HANDOFF_GZIP} -9nf ${uncompressed}
        DEPENDS ${source}
        COMMENT "Compressing ${output}"
        VERBATIM)
    add_custom_target(${target} ALL DEPENDS ${output})
endfunction()

# handoff_package_docs(<component> <package name>): copyright, changelog.Debian.gz
# and, when installers/linux/<package>.lintian-overrides exists, the overrides.
function(handoff_package_docs component package)
    set(HANDOFF_PACKAGE_NAME ${package})
    configure_file(${linux_dir}/changelog.Debian.in ${out_dir}/${package}/changelog.Debian @ONLY)
    handoff_gzip_file(${out_dir}/${package}/changelog.Debian ${out_dir}/${package}/gz/changelog.Debian.gz
                      ${package}-changelog)
    install(FILES ${linux_dir}/copyright ${out_dir}/${package}/gz/changelog.Debian.gz
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component})
    if(EXISTS ${linux_dir}/${package}.lintian-overrides)
        install(FILES ${linux_dir}/${package}.lintian-overrides
                DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides RENAME ${package}
                COMPONENT ${component})
    endif()
endfunction()

# handoff_man_page(<component> <page source, e.g. handoff.1.in>): configured
# (version, paths), compressed and installed into its section.
function(handoff_man_page component source)
    get_filename_component(page ${source} NAME)
    string(REGEX REPLACE "\\.in$" "" page ${page})
    string(REGEX MATCH "[0-9]$" section ${page})
    configure_file(${resources_dir}/man/${source} ${out_dir}/man/${page} @ONLY)
    handoff_gzip_file(${out_dir}/man/${page} ${out_dir}/man/gz/${page}.gz man-${page})
    install(FILES ${out_dir}/man/gz/${page}.gz
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT ${component})
endfunction()

set(CPACK_DEB_COMPONENT_INSTALL ON)
# Each package's synopsis is the first line of CPACK_COMPONENT_<X>_DESCRIPTION.
# CPack DEB puts CPACK_PACKAGE_DESCRIPTION_SUMMARY above it unless the summary is
# CPack's own default, which it otherwise takes from project(DESCRIPTION).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${HANDOFF_DEBIAN_REVISION})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# conffiles 0644, maintainer scripts 0755, whatever the source files' modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# --- handoff: the desktop app -------------------------------------------------
if(TARGET handoff)
    install(TARGETS handoff RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT app)

    configure_file(${resources_dir}/handoff.desktop.in ${out_dir}/${HANDOFF_APP_ID}.desktop @ONLY)
    install(FILES ${out_dir}/${HANDOFF_APP_ID}.desktop
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications COMPONENT app)
    configure_file(${resources_dir}/handoff.metainfo.xml.in ${out_dir}/${HANDOFF_APP_ID}.metainfo.xml @ONLY)
    install(FILES ${out_dir}/${HANDOFF_APP_ID}.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo COMPONENT app)

    # Icons: the SVG as it is, and PNGs rendered from it at build time for the
    # desktops and tools that want bitmaps.
    set(icon_svg ${PROJECT_SOURCE_DIR}/resources/icons/handoff.svg)
    install(FILES ${icon_svg} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps
            RENAME ${HANDOFF_ICON_NAME}.svg COMPONENT app)
    find_program(HANDOFF_RSVG_CONVERT rsvg-convert)
    find_program(HANDOFF_IMAGEMAGICK_CONVERT convert)
    set(icon_pngs "")
    foreach(size 16 22 24 32 48 64 128 256 512)
        set(png ${out_dir}/icons/${size}x${size}/${HANDOFF_ICON_NAME}.png)
        if(HANDOFF_RSVG_CONVERT)
            set(render ${HANDOFF_RSVG_CONVERT} --width ${size} --height ${size} --keep-aspect-ratio
                       --output ${png} ${icon_svg})
        elseif(HANDOFF_IMAGEMAGICK_CONVERT)
            set(render ${HANDOFF_IMAGEMAGICK_CONVERT} -background none -density 384 ${icon_svg}
                       -resize ${size}x${size} ${png})
        else()
            message(FATAL_ERROR "Rendering the icon PNGs needs rsvg-convert (librsvg2-bin) or ImageMagick")
        endif()
        add_custom_command(OUTPUT ${png}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}/icons/${size}x${size}
            COMMAND ${render}
            DEPENDS ${icon_svg}
            COMMENT "Rendering the ${size}x${size} icon"
            VERBATIM)
        list(APPEND icon_pngs ${png})
        install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps
                COMPONENT app)
    endforeach()
    add_custom_target(handoff-icons ALL DEPENDS ${icon_pngs})

    handoff_man_page(app handoff.1.in)
    handoff_package_docs(app handoff)

    set(CPACK_DEBIAN_APP_PACKAGE_NAME handoff)
    set(CPACK_DEBIAN_APP_PACKAGE_SECTION net)
    # Found by dpkg-shlibdeps: Qt, OpenSSL, QtKeychain. Recommended: xdg-utils for
    # registering the handoff:// handler (xdg-mime), a Secret Service for the
    # keychain, the Wayland platform plugin.
    set(CPACK_DEBIAN_APP_PACKAGE_RECOMMENDS
        "xdg-utils, gnome-keyring | keepassxc | kwalletmanager, qt6-wayland")
    set(CPACK_COMPONENT_APP_DESCRIPTION
"help an AI agent past a sign-in step, or approve its actions
When an AI agent that drives a web browser reaches a step only a person
can take (a one-time code, a password, a CAPTCHA), it sends a handoff://
link. The Handoff app opens it, shows the agent's browser live and sends
what the person types end-to-end encrypted, so the relay in between never
sees it. It also shows an agent's requests for sensitive actions (OpenID
Connect CIBA) for the person to approve or deny.
.
This package holds the desktop app; it keeps its device key in the
system keyring.")
endif()

# --- handoff-server: relay, session API, CIBA ---------------------------------
if(TARGET handoff-server)
    install(TARGETS handoff-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)

    # Debian 12 keeps units in /lib/systemd/system (lintian wants them there). The
    # unit names /usr/bin/handoff-server: the packages' prefix.
    install(FILES ${resources_dir}/handoff-server.service DESTINATION /lib/systemd/system COMPONENT server)
    install(FILES ${resources_dir}/handoff-server.sysusers DESTINATION lib/sysusers.d
            RENAME handoff-server.conf COMPONENT server)
    install(FILES ${resources_dir}/server.conf DESTINATION /etc/handoff COMPONENT server)

    handoff_man_page(server handoff-server.8.in)
    handoff_package_docs(server handoff-server)

    set(CPACK_DEBIAN_SERVER_PACKAGE_NAME handoff-server)
    set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
    # The SQLite driver is a Qt plugin, loaded at run time: dpkg-shlibdeps cannot see it.
    set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite")
    set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "libqt6sql6-psql")
    set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
        ${linux_dir}/server/conffiles ${linux_dir}/server/postinst
        ${linux_dir}/server/prerm ${linux_dir}/server/postrm)
    set(CPACK_COMPONENT_SERVER_DESCRIPTION
"relay and CIBA server for Handoff
Handoff lets an AI agent hand one authentication step to a real person.
This server relays sessions between the agent and the person's desktop
app (it never sees what the person types), keeps session, device and
approval state in SQLite or PostgreSQL, and is an OpenID Connect CIBA
authorization server.
.
The package runs the server as a systemd service under its own system
user, with its state in /var/lib/handoff and its settings in
/etc/handoff/server.conf.")
endif()

# --- handoff-agent: CDP bridge, MCP server, command line -----------------------
if(TARGET handoff-agent)
    install(TARGETS handoff-agent RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT agent)

    handoff_man_page(agent handoff-agent.1.in)
    handoff_package_docs(agent handoff-agent)

    set(CPACK_DEBIAN_AGENT_PACKAGE_NAME handoff-agent)
    set(CPACK_DEBIAN_AGENT_PACKAGE_SECTION net)
    set(CPACK_DEBIAN_AGENT_PACKAGE_SUGGESTS "chromium")
    set(CPACK_COMPONENT_AGENT_DESCRIPTION
"bridge from a Chromium browser to a Handoff session
Handoff lets an AI agent hand one authentication step to a real person.
This program connects to a Chromium (any Chrome DevTools Protocol
endpoint), streams its screen to a Handoff session and replays the
person's end-to-end encrypted input in it. AI agents use it as an MCP
server or from the command line.")
endif()
