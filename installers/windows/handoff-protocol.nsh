; NSIS macros of the Handoff installer, included by CPack's NSIS template
; (installers/windows/WindowsPackaging.cmake, CPACK_NSIS_DEFINES) and used in its
; install and uninstall sections.
;
; The handoff:// URL protocol is registered for the user who runs the installer,
; under HKEY_CURRENT_USER\Software\Classes\handoff, as the issue and Windows'
; "Registering an Application to a URI Scheme" describe: a "URL Protocol" value
; and an open command that passes the link as one quoted argument ("%1"), so
; that a link can never split into several arguments. The app checks the
; registration again for each user on its first start and, when it is missing,
; offers to add it (app/platform/SchemeHandlerRegistration).

!macro HandoffRegisterProtocol
  WriteRegStr HKCU "Software\Classes\handoff" "" "URL:Handoff link"
  WriteRegStr HKCU "Software\Classes\handoff" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\handoff\DefaultIcon" "" '"$INSTDIR\bin\handoff.exe",0'
  WriteRegStr HKCU "Software\Classes\handoff\shell\open\command" "" '"$INSTDIR\bin\handoff.exe" "%1"'
!macroend

!macro HandoffUnregisterProtocol
  ; Only our own registration: another program's handler of handoff:// stays.
  ReadRegStr $0 HKCU "Software\Classes\handoff\shell\open\command" ""
  StrCmp $0 '"$INSTDIR\bin\handoff.exe" "%1"' 0 +2
    DeleteRegKey HKCU "Software\Classes\handoff"
!macroend
