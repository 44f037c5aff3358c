# The demo bank's pages, stylesheet and images (this folder), embedded into
# handoff-server-lib as :/demo-site/... so the binary is self-contained.
# server/demo/ serves them under /demo/ when the server runs with --demo.
# Included from server/CMakeLists.txt after handoff-server-lib is defined.
file(GLOB demo_site_files CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_LIST_DIR}/templates/*.html
    ${CMAKE_CURRENT_LIST_DIR}/static/*.css
    ${CMAKE_CURRENT_LIST_DIR}/static/*.svg)
qt_add_resources(handoff-server-lib handoff_demo_site
    PREFIX /demo-site
    BASE ${CMAKE_CURRENT_LIST_DIR}
    FILES ${demo_site_files})
