// The annotated sample configuration printed by echo_supervisord_conf. Lines starting with ';'
// are switched off; uncomment and edit what you need. Values shown are the defaults unless noted.

export const SAMPLE_CONFIG = `; Sample supervisord configuration.
;
; Lines beginning with ";" are inactive. A ";" or "#" starts a comment only
; at the start of a line or after a space or tab, so "a=b;c" keeps its ";".
; Inside values, %(here)s means the directory holding this file and
; %(ENV_NAME)s means the variable NAME from supervisord's environment.
; Sizes accept KB, MB and GB suffixes; booleans accept true/false, yes/no,
; on/off and 1/0.

[unix_http_server]
file=/tmp/supervisor.sock   ; where the control socket is created
;chmod=0700                 ; permission bits of the socket file
;chown=nobody:nogroup       ; owner (and group) of the socket file
;username=user              ; require this user name (no auth when unset)
;password=123               ; password in clear text, or {SHA} + hex SHA-1

;[inet_http_server]         ; the TCP control server is off unless enabled
;port=127.0.0.1:9001        ; host:port to listen on; *:port for every interface
;username=user              ; require this user name (no auth when unset)
;password=123               ; password in clear text, or {SHA} + hex SHA-1

[supervisord]
logfile=/tmp/supervisord.log ; activity log (relative paths use the start directory)
logfile_maxbytes=50MB        ; rotate the activity log at this size; 0 disables rotation
logfile_backups=10           ; rotated copies to keep; 0 keeps none
loglevel=info                ; critical, error, warn, info, debug, trace or blather
pidfile=/tmp/supervisord.pid ; file recording the daemon's pid
nodaemon=false               ; true keeps supervisord in the foreground
silent=false                 ; true stops foreground logging to stdout
minfds=1024                  ; refuse to start with fewer free file descriptors
minprocs=200                 ; refuse to start with fewer available processes
;umask=022                   ; umask of the daemon process
;user=supervisord            ; switch to this user after starting as root
;identifier=supervisor       ; name reported over the control API
;directory=/tmp              ; change into this directory when daemonizing
;nocleanup=true              ; keep old AUTO child logs at startup
;childlogdir=/tmp            ; where AUTO child logs go (system temp dir)
;environment=KEY="value"     ; extra variables for every child, KEY=val,KEY2=val2
;strip_ansi=false            ; remove ANSI escape sequences from child logs

; The control API needs this section; leave it as it is.
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix:///tmp/supervisor.sock ; how to reach the daemon; match a server above
;serverurl=http://127.0.0.1:9001 ; the same over TCP
;username=chris              ; must match the server's username if one is set
;password=123                ; must match the server's password if one is set
;prompt=mysupervisor         ; text of the interactive prompt
;history_file=~/.sc_history  ; keep command history in this file

; One [program:name] section per program to run. The name may not contain
; spaces, colons or slashes.

;[program:theprogramname]
;command=/bin/cat              ; what to run, with arguments (required)
;process_name=%(program_name)s ; name of each process; needs %(process_num)s if numprocs > 1
;numprocs=1                    ; how many copies to run
;numprocs_start=0              ; first value of %(process_num)s
;directory=/tmp                ; change into this directory before running
;umask=022                     ; umask of the child (inherits the daemon's)
;priority=999                  ; lower numbers start first and stop last
;autostart=true                ; start when supervisord starts
;startsecs=1                   ; seconds it must stay up to count as started
;startretries=3                ; failed starts in a row before giving up (FATAL)
;autorestart=unexpected        ; restart on exit: true, false or unexpected
;exitcodes=0                   ; exit codes that count as expected
;stopsignal=TERM               ; signal used to stop it: TERM, HUP, INT, QUIT, KILL, USR1, USR2
;stopwaitsecs=10               ; seconds to wait after stopsignal before SIGKILL
;stopasgroup=false             ; send the stop signal to the whole process group
;killasgroup=false             ; send SIGKILL to the whole process group
;user=chrism                   ; run as this user (supervisord must be root)
;redirect_stderr=true          ; merge stderr into the stdout log
;stdout_logfile=/a/path        ; stdout log: a path, AUTO or NONE
;stdout_logfile_maxbytes=1MB   ; rotate at this size; 0 disables rotation
;stdout_logfile_backups=10     ; rotated copies to keep
;stdout_capture_maxbytes=1MB   ; buffer size for capture mode (0 disables it)
;stdout_events_enabled=false   ; emit events for each chunk of output
;stdout_syslog=false           ; copy stdout to syslog, prefixed with the name
;stderr_logfile=/a/path        ; stderr log: a path, AUTO or NONE
;stderr_logfile_maxbytes=1MB   ; rotate at this size; 0 disables rotation
;stderr_logfile_backups=10     ; rotated copies to keep
;stderr_capture_maxbytes=1MB   ; buffer size for capture mode (0 disables it)
;stderr_events_enabled=false   ; emit events for each chunk of output
;stderr_syslog=false           ; copy stderr to syslog, prefixed with the name
;environment=A="1",B="2"       ; variables added to the child's environment
;serverurl=AUTO                ; SUPERVISOR_SERVER_URL given to the child

; An [eventlistener:name] section runs a pool of listeners that receive
; events on stdin. It takes the [program:x] keys above except
; redirect_stderr, plus the three below.

;[eventlistener:theeventlistenername]
;command=/bin/eventlistener    ; what to run, with arguments (required)
;process_name=%(program_name)s ; name of each process; needs %(process_num)s if numprocs > 1
;numprocs=1                    ; how many listeners in the pool
;events=EVENT                  ; comma-separated event types to receive (required)
;buffer_size=10                ; events queued per pool before the oldest is dropped
;result_handler=supervisor.dispatchers:default_handler ; how listener replies are read
;directory=/tmp                ; change into this directory before running
;umask=022                     ; umask of the child (inherits the daemon's)
;priority=-1                   ; lower numbers start first and stop last
;autostart=true                ; start when supervisord starts
;startsecs=1                   ; seconds it must stay up to count as started
;startretries=3                ; failed starts in a row before giving up (FATAL)
;autorestart=unexpected        ; restart on exit: true, false or unexpected
;exitcodes=0                   ; exit codes that count as expected
;stopsignal=QUIT               ; signal used to stop it
;stopwaitsecs=10               ; seconds to wait after stopsignal before SIGKILL
;stopasgroup=false             ; send the stop signal to the whole process group
;killasgroup=false             ; send SIGKILL to the whole process group
;user=chrism                   ; run as this user (supervisord must be root)
;stdout_logfile=/a/path        ; stdout carries the protocol, so it is not logged
;stderr_logfile=/a/path        ; stderr log: a path, AUTO or NONE
;stderr_logfile_maxbytes=1MB   ; rotate at this size; 0 disables rotation
;stderr_logfile_backups=10     ; rotated copies to keep
;stderr_events_enabled=false   ; emit events for each chunk of output
;stderr_syslog=false           ; copy stderr to syslog, prefixed with the name
;environment=A="1",B="2"       ; variables added to the child's environment
;serverurl=AUTO                ; SUPERVISOR_SERVER_URL given to the child

; A [group:name] section puts programs into one group so they can be
; controlled together; those programs then no longer form groups of their own.

;[group:thegroupname]
;programs=progname1,progname2  ; names of [program:x] sections, comma separated
;priority=999                  ; lower numbers start first and stop last

; [include] reads more configuration files. Relative globs are taken from
; this file's directory; included files cannot include further files.

;[include]
;files = relative/directory/*.ini
`;
