#!/bin/sh
# api-binary.sh - the API of the real program ($ROOTLESSNET, or rootlesskit): curl on every
# endpoint and bad input, Debian's rootlessctl and rootlessnetctl on its socket, ports added
# through the API carry traffic, add/remove cycles leak no descriptors
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/integration/api-lib.sh"

api_ctls
rn_need socat

rn_setup_user
D=$(mktemp -d /tmp/rn-apibin.XXXXXX)
api_user_ctl
ST=$RN_RUNTIME/state
S=$ST/api.sock
RN_CLEANUP_HOOK='rm -rf "$D"'
# host ports: PP published with -p, PA added through the API, PC by the clients, PY.. PY+6
# in the add/remove cycles, PD by rootlesskit-docker-proxy; PB (bad requests) and PN (no
# port driver) are never bound
PP=$(rn_free_port 13) || exit 1
PA=$((PP + 1)) PB=$((PP + 2)) PC=$((PP + 3)) PY=$((PP + 4)) PD=$((PP + 11)) PN=$((PP + 12))

# Inside: a TCP server on 127.0.0.1:80 answering "pong" (socat: one process per connection)
rn_as_user "$ROOTLESSNET" --state-dir="$ST" --net=slirp4netns --disable-host-loopback \
	--port-driver=builtin -p "127.0.0.1:$PP:80/tcp" \
	sh -c 'socat TCP4-LISTEN:80,bind=127.0.0.1,fork,reuseaddr SYSTEM:"echo pong" & exec sleep 300' \
	>"$D/run.log" 2>&1 &
rn_wait_for 30 test -S "$S" || rn_fail "no api.sock: $(tail -5 "$D/run.log")"
rn_wait_for 10 test -s "$ST/child_pid" || rn_fail "no child_pid"
CHILD=$(cat "$ST/child_pid")
PARENT=$(ps -o ppid= -p "$CHILD" | tr -d ' ')
[ -n "$PARENT" ] || rn_fail "no parent for child $CHILD"

# call METHOD PATH [CURL ARGS]: CODE and BODY of one request, as the user
call() {
	_m=$1
	_p=$2
	shift 2
	CODE=$(rn_as_user curl -sS --max-time 20 --unix-socket "$S" -X "$_m" -o "$RN_RUNTIME/body" \
		-w '%{http_code}' "$@" "http://rootlesskit$_p") || CODE=000
	BODY=$(cat "$RN_RUNTIME/body" 2>/dev/null)
}
alive() {
	call GET /v1/info
	[ "$CODE" = 200 ] || rn_fail "server not answering after $1: $CODE; $(tail -5 "$D/run.log")"
}
post() { call POST /v1/ports -H 'Content-Type: application/json' --data-binary "$1"; }

if rn_is_ours; then
	rn_expect_eq "api.sock mode" "$(stat -c %a "$S")" 600
	# nobody else may replace the socket in the state dir
	[ $(($(stat -c %#a "$ST") & 022)) = 0 ] || rn_fail "state dir writable by others"
fi

# GET /v1/info: every field, childPID matching child_pid; API 1.1.2 is rootlesskit 3's (Debian's
# reference, 1.1.0, serves 1.1.1)
APIV=1.1.2
rn_is_ours || APIV=1.1.1
call GET /v1/info
rn_expect_eq "info status" "$CODE" 200
printf '%s' "$BODY" | grep -q "^{\"apiVersion\":\"$APIV\",\"version\":\"[^\"]*\",\"stateDir\":\"$ST\",\"childPID\":$CHILD,\"networkDriver\":{\"driver\":\"slirp4netns\",\"dns\":\[\"10.0.2.3\"\],\"childIP\":\"10.0.2.100\"},\"portDriver\":{\"driver\":\"builtin\",\"protos\":\[\"tcp\",\"tcp4\",\"tcp6\",\"udp\",\"udp4\",\"udp6\"\]}}$" ||
	rn_fail "info: $BODY"

# the -p port is listed and carries traffic
call GET /v1/ports
rn_expect_eq "ports with -p" "$BODY" '[{"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":'"$PP"',"childPort":80}}]'
rn_wait_for 10 sh -c "socat -T 5 - TCP4:127.0.0.1:$PP </dev/null 2>/dev/null | grep -q pong" ||
	rn_fail "-p port $PP carries no traffic"

# a port added through the API carries traffic, and stops when removed
post '{"proto":"tcp","parentIP":"127.0.0.1","parentPort":'"$PA"',"childPort":80}'
rn_expect_eq "add status" "$CODE" 201
rn_expect_eq "add body" "$BODY" '{"id":2,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":'"$PA"',"childPort":80}}'
rn_wait_for 10 sh -c "socat -T 5 - TCP4:127.0.0.1:$PA </dev/null 2>/dev/null | grep -q pong" ||
	rn_fail "API port $PA carries no traffic"
call DELETE /v1/ports/2
rn_expect_eq "delete status" "$CODE" 200
rn_expect_eq "delete body" "$BODY" ""
rn_wait_for 5 sh -c "! socat -T 2 - TCP4:127.0.0.1:$PA </dev/null 2>/dev/null | grep -q pong" ||
	rn_fail "removed port $PA still answers"

# every bad input: a 4xx, and the server keeps serving
head -c 3145728 /dev/zero | tr '\0' ' ' >"$D/big"
chmod 0644 "$D/big"
post '{"proto":"tcp","parentIP":"127.0.0.1","parentPort":'"$PP"',"childPort":81}'
rn_expect_eq "conflict" "$BODY" '{"message":"conflict with ID 1"}'
for bad in '{not json' '' '[]' \
	'{"proto":"tcp","parentPort":0,"childPort":80}' \
	'{"proto":"tcp","parentPort":70000,"childPort":80}' \
	'{"proto":"tcp","parentPort":'"$PB"',"childPort":0}' \
	'{"proto":"bogus","parentPort":'"$PB"',"childPort":80}' \
	'{"proto":"tcp","parentIP":"1.2.3","parentPort":'"$PB"',"childPort":80}' \
	'{"proto":"tcp","parentIP":"127.0.0.1","childIP":"x::y::z","parentPort":'"$PB"',"childPort":80}' \
	'{"proto":"tcp","parentPort":"'"$PB"'","childPort":80}'; do
	post "$bad"
	case $CODE in 4??) ;; *) rn_fail "POST $bad: status $CODE ($BODY)" ;; esac
	printf '%s' "$BODY" | grep -q '^{"message":".\+"}$' || rn_fail "POST $bad: body $BODY"
	alive "POST $bad"
done
call POST /v1/ports --data-binary @"$D/big"
case $CODE in 4??) ;; *) rn_fail "3 MB body: status $CODE" ;; esac
alive "3 MB body"
call DELETE /v1/ports/999
rn_expect_eq "unknown id" "$BODY" '{"message":"unknown id: 999"}'
call DELETE /v1/ports/abc
rn_expect_eq "bad id" "$BODY" '{"message":"bad id abc: strconv.Atoi: parsing \"abc\": invalid syntax"}'
call GET /v1/nothing
rn_expect_eq "unknown path" "$CODE $BODY" "404 404 page not found"
call POST /v1/info
rn_expect_eq "wrong method" "$CODE $BODY" "405 "
call PUT /v1/ports
rn_expect_eq "wrong method on ports" "$CODE" 405
alive "bad requests"

# Debian's rootlessctl and ours on this socket
for ctl in "$REFCTL" "$D/rootlessnetctl"; do
	rn_as_user "$ctl" --socket "$S" info >"$D/info" || rn_fail "$ctl info"
	grep -q "^- Child PID: $CHILD$" "$D/info" || rn_fail "$ctl info: $(cat "$D/info")"
	grep -q '^  - Supported protocols: \[tcp tcp4 tcp6 udp udp4 udp6\]$' "$D/info" ||
		rn_fail "$ctl info protos: $(cat "$D/info")"
	rn_as_user "$ctl" --socket "$S" info --json | grep -q '"childPID": '"$CHILD," ||
		rn_fail "$ctl info --json"
	ID=$(rn_as_user "$ctl" --socket "$S" add-ports "127.0.0.1:$PC:80/tcp") ||
		rn_fail "$ctl add-ports"
	rn_wait_for 10 sh -c "socat -T 5 - TCP4:127.0.0.1:$PC </dev/null 2>/dev/null | grep -q pong" ||
		rn_fail "port added by $ctl carries no traffic"
	rn_as_user "$ctl" --socket "$S" list-ports >"$D/list" || rn_fail "$ctl list-ports"
	grep -q "^$ID  *tcp  *127.0.0.1  *$PC  *80  *\$" "$D/list" ||
		rn_fail "$ctl list-ports: $(cat "$D/list")"
	rn_as_user "$ctl" --socket "$S" list-ports --json | grep -q "^{\"id\":$ID," ||
		rn_fail "$ctl list-ports --json"
	rn_as_user "$ctl" --socket "$S" add-ports "127.0.0.1:$PC:81/tcp" >"$D/err" 2>&1 &&
		rn_fail "$ctl: conflict accepted"
	rn_expect_eq "$ctl conflict" "$(cat "$D/err")" "error: conflict with ID $ID"
	rn_expect_eq "$ctl remove-ports" "$(rn_as_user "$ctl" --socket "$S" remove-ports "$ID")" "$ID"
	rn_as_user "$ctl" --socket "$S" remove-ports "$ID" >"$D/err" 2>&1 && rn_fail "$ctl: removed twice"
	rn_expect_eq "$ctl unknown id" "$(cat "$D/err")" "error: unknown id: $ID"
	RN_USER_ENV="ROOTLESSKIT_STATE_DIR=$ST" rn_as_user "$ctl" list-ports | grep -q "$PP" ||
		rn_fail "$ctl with ROOTLESSKIT_STATE_DIR"
done

# rootlesskit-docker-proxy (how Debian's dockerd 20.10 publishes ports): run inside the
# namespaces, it reads /v1/info, adds its port, starts docker-proxy, and removes the port on SIGINT
command -v rootlesskit-docker-proxy >/dev/null ||
	rn_fail "rootlesskit-docker-proxy missing: apt-get install rootlesskit"
[ -x /usr/sbin/docker-proxy ] || rn_fail "docker-proxy missing: apt-get install docker.io"
{
	SIG=$RN_RUNTIME/proxy.sig
	rn_as_user nsenter -U --preserve-credentials -m -n -t "$CHILD" \
		env ROOTLESSKIT_STATE_DIR="$ST" sh -c 'exec rootlesskit-docker-proxy \
		-container-ip 127.0.0.1 -container-port 80 -host-ip 127.0.0.1 -host-port "$1" \
		-proto tcp 3>"$0"' "$SIG" "$PD" >"$D/proxy.log" 2>&1 &
	rn_wait_for 20 grep -qs '^0' "$SIG" ||
		rn_fail "rootlesskit-docker-proxy failed: $(cat "$SIG" "$D/proxy.log" 2>/dev/null)"
	rn_wait_for 10 sh -c "socat -T 5 - TCP4:127.0.0.1:$PD </dev/null 2>/dev/null | grep -q pong" ||
		rn_fail "port published by rootlesskit-docker-proxy carries no traffic"
	rn_as_user "$OURSCTL" --socket "$S" list-ports | grep -q " $PD " ||
		rn_fail "rootlesskit-docker-proxy's port not listed"
	PROXY=$(pgrep -u "$RN_USER" -f "rootlesskit-docker-proxy .*-host-port $PD")
	[ -n "$PROXY" ] || rn_fail "rootlesskit-docker-proxy not found"
	kill -INT $PROXY
	rn_wait_for 10 sh -c "! '$D/rootlessnetctl' --socket '$S' list-ports | grep -q ' $PD '" ||
		rn_fail "rootlesskit-docker-proxy's port not removed on SIGINT"
}

# 100 add/remove cycles: no descriptor growth in the parent
nfd() { ls "/proc/$PARENT/fd" | wc -l; }
before=$(nfd)
i=0
while [ $i -lt 100 ]; do
	post "{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$((PY + i % 7)),\"childPort\":80}"
	rn_expect_eq "cycle $i add" "$CODE" 201
	id=$(printf '%s' "$BODY" | sed 's/^{"id":\([0-9]*\),.*/\1/')
	call DELETE "/v1/ports/$id"
	rn_expect_eq "cycle $i remove" "$CODE" 200
	i=$((i + 1))
done
sleep 0.5
after=$(nfd)
[ "$after" -le "$before" ] || rn_fail "descriptors grew over 100 add/remove cycles: $before -> $after"

# stopping: the command exits, the parent goes and takes api.sock with it
kill "$CHILD" 2>/dev/null
pkill -P "$CHILD" 2>/dev/null
rn_wait_for 20 sh -c "! kill -0 $PARENT 2>/dev/null" || rn_fail "parent did not exit"
[ ! -S "$S" ] || rn_fail "api.sock left behind"

# other configurations: info names what runs, and without a port driver every ports route
# answers 400 "no PortDriver is available"
# info_of FLAGS...: run sleep with FLAGS, set INFO to /v1/info's answer, stop it again
N_INFO=0
info_of() {
	N_INFO=$((N_INFO + 1))
	_st=$RN_RUNTIME/info$N_INFO
	rn_as_user "$ROOTLESSNET" --state-dir="$_st" "$@" sleep 60 >"$D/run2.log" 2>&1 &
	rn_wait_for 30 test -S "$_st/api.sock" || rn_fail "no api.sock with $*: $(tail -5 "$D/run2.log")"
	S=$_st/api.sock
	call GET /v1/info
	INFO=$BODY
	_child=$(cat "$_st/child_pid")
	printf '%s' "$INFO" | grep -q "\"stateDir\":\"$_st\",\"childPID\":$_child[,}]" ||
		rn_fail "info with $*: $INFO"
}
stop_info() {
	kill "$_child" 2>/dev/null
	rn_wait_for 20 sh -c "! test -S '$S'" || rn_fail "api.sock left behind"
}

info_of --net=slirp4netns --port-driver=none --ipv6
# v2 lists the IPv6 DNS forwarder too (1.1.0 did not), and 3.x (API 1.1.2) says "ipv6":true
DNS6=',"fd00::3"' V6=',"ipv6":true'
rn_is_ours || DNS6= V6=
printf '%s' "$INFO" | grep -q ',"networkDriver":{"driver":"slirp4netns","dns":\["10.0.2.3"'"$DNS6"'\],"childIP":"10.0.2.100"'"$V6"'}}$' ||
	rn_fail "info with --ipv6 and no port driver: $INFO"
for mp in 'GET /v1/ports' 'POST /v1/ports' 'DELETE /v1/ports/1'; do
	# shellcheck disable=SC2086
	call $mp --data-binary '{"proto":"tcp","parentPort":'"$PN"',"childPort":80}'
	rn_expect_eq "$mp without a port driver" "$CODE $BODY" '400 {"message":"no PortDriver is available"}'
done
rn_as_user "$REFCTL" --socket "$S" list-ports >"$D/err" 2>&1 && rn_fail "list-ports without a driver"
rn_expect_eq "rootlessctl without a driver" "$(cat "$D/err")" "error: no PortDriver is available"
stop_info

info_of --net=host
printf '%s' "$INFO" | grep -q "\"childPID\":$_child}\$" || rn_fail "info with --net=host: $INFO"
stop_info

if rn_is_ours; then
	# rootlesskit 1.1.0 has no --net=none; v2 reports it so
	info_of --net=none --port-driver=builtin
	printf '%s' "$INFO" | grep -q ',"networkDriver":{"driver":"none"},"portDriver":{"driver":"builtin",' ||
		rn_fail "info with --net=none: $INFO"
	stop_info
fi

info_of --net=slirp4netns --cidr=10.8.0.0/24 --port-driver=slirp4netns
printf '%s' "$INFO" | grep -q ',"networkDriver":{"driver":"slirp4netns","dns":\["10.8.0.3"\],"childIP":"10.8.0.100"},"portDriver":{"driver":"slirp4netns","protos":\["tcp","tcp4","udp","udp4"\],"disallowLoopbackChildIP":true}}$' ||
	rn_fail "info with --cidr and the slirp4netns driver: $INFO"
stop_info

exit 0
