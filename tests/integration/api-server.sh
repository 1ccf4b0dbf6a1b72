#!/bin/sh
# api-server.sh - the REST API server alone (api-harness): every route, every bad input,
# limits, keep-alive, hostile clients, socket mode; answers compared with rootlesskit's bytes
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/integration/api-lib.sh"

rn_need curl socat
api_harness_init api

# call METHOD PATH [CURL ARGS...]: sets CODE, BODY and HDRS (headers, lower case)
call() {
	_m=$1
	_p=$2
	shift 2
	CODE=$(curl -sS --max-time 10 --unix-socket "$S" -X "$_m" -o "$D/body" -D "$D/hdrs" \
		-w '%{http_code}' "$@" "http://rootlesskit$_p") || CODE=000
	BODY=$(cat "$D/body" 2>/dev/null)
	HDRS=$(tr 'A-Z' 'a-z' <"$D/hdrs" 2>/dev/null | tr -d '\r')
}

# expect CODE BODY: the last call's status and exact body
expect() {
	rn_expect_eq "status of $_m $_p" "$CODE" "$1"
	rn_expect_eq "body of $_m $_p" "$BODY" "$2"
}

# expect_error CODE: a {"message":"..."} body with a non-empty message, newline-terminated
expect_error() {
	rn_expect_eq "status of $_m $_p" "$CODE" "$1"
	printf '%s\n' "$BODY" | grep -q '^{"message":".\+"}$' ||
		rn_fail "$_m $_p: body is not an error message: $BODY"
	[ "$(tail -c 1 "$D/body" | od -An -c | tr -d ' ')" = '\n' ] ||
		rn_fail "$_m $_p: error body lacks the newline Go's json.Encoder writes"
	printf '%s\n' "$HDRS" | grep -q '^content-type: text/plain; charset=utf-8$' ||
		rn_fail "$_m $_p: error content type: $HDRS"
}

# alive: the server still answers
alive() {
	call GET /v1/info
	rn_expect_eq "server alive after $1" "$CODE" 200
}

post() { call POST /v1/ports -H 'Content-Type: application/json' --data-binary "$1"; }

# --- net slirp4netns, builtin driver ---
start_harness slirp4netns builtin
PID=$HPID

rn_expect_eq "socket mode" "$(stat -c %a "$S")" 600

call GET /v1/info
expect 200 "{\"apiVersion\":\"1.1.2\",\"version\":\"0.1.0\",\"stateDir\":\"$D\",\"childPID\":$PID,\"networkDriver\":{\"driver\":\"slirp4netns\",\"dns\":[\"10.0.2.3\"],\"childIP\":\"10.0.2.100\"},\"portDriver\":{\"driver\":\"builtin\",\"protos\":[\"tcp\",\"tcp4\",\"tcp6\",\"udp\",\"udp4\",\"udp6\"]}}"
printf '%s\n' "$HDRS" | grep -q '^content-type: application/json$' || rn_fail "info type: $HDRS"

call GET /v1/ports
expect 200 null

post '{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80}'
expect 201 '{"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80}}'
printf '%s\n' "$HDRS" | grep -q '^content-type: application/json$' || rn_fail "add type: $HDRS"
post '{"proto":"tcp6","parentIP":"::1","parentPort":18091,"childIP":"::1","childPort":80}'
expect 201 '{"id":2,"spec":{"proto":"tcp6","parentIP":"::1","parentPort":18091,"childPort":80,"childIP":"::1"}}'
# Go's decoder: keys match case-insensitively, trailing bytes after the value are ignored
post '{"PROTO":"udp","parentPort":18092,"childPort":53} trailing'
expect 201 '{"id":3,"spec":{"proto":"udp","parentPort":18092,"childPort":53}}'

call GET /v1/ports
expect 200 '[{"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80}},{"id":2,"spec":{"proto":"tcp6","parentIP":"::1","parentPort":18091,"childPort":80,"childIP":"::1"}},{"id":3,"spec":{"proto":"udp","parentPort":18092,"childPort":53}}]'

# conflict: same proto, parentIP and parentPort
post '{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":81}'
expect 400 '{"message":"conflict with ID 1"}'
expect_error 400

# every bad input gets its 4xx, and the server keeps serving
for bad in \
	'' \
	'   ' \
	'{"proto":"tcp","parentPort":' \
	'{not json}' \
	'garbage' \
	'[]' \
	'"tcp"' \
	'null' \
	'{"proto":"tcp","parentPort":0,"childPort":80}' \
	'{"proto":"tcp","parentPort":70000,"childPort":80}' \
	'{"proto":"tcp","parentPort":8080,"childPort":0}' \
	'{"proto":"tcp","parentPort":8080,"childPort":-5}' \
	'{"proto":"tcp","parentPort":8080}' \
	'{"proto":"sctp","parentPort":8080,"childPort":80}' \
	'{"proto":"TCP","parentPort":8080,"childPort":80}' \
	'{"parentPort":8080,"childPort":80}' \
	'{"proto":"tcp","parentIP":"1.2.3","parentPort":8080,"childPort":80}' \
	'{"proto":"tcp","parentIP":"256.0.0.1","parentPort":8080,"childPort":80}' \
	'{"proto":"tcp","childIP":"nope","parentPort":8080,"childPort":80}' \
	'{"proto":"tcp4","parentIP":"::1","parentPort":8080,"childPort":80}' \
	'{"proto":"tcp","parentPort":"8080","childPort":80}' \
	'{"proto":"tcp","parentPort":8080.5,"childPort":80}' \
	'{"proto":"tcp","parentPort":99999999999999999999999,"childPort":80}' \
	'{"proto":["tcp"],"parentPort":8080,"childPort":80}' \
	'{"proto":"tcp","parentIP":{},"parentPort":8080,"childPort":80}' \
	'{"proto":"tcp","parentIP":true,"parentPort":8080,"childPort":80}'; do
	post "$bad"
	expect_error 400
	alive "POST $bad"
done
post '{"proto":"tcp","parentPort":"a","childPort":80}'
expect 400 '{"message":"json: cannot unmarshal string into Go struct field Spec.parentPort of type int"}'
post ''
expect 400 '{"message":"EOF"}'
post '{"proto":"tcp"'
expect 400 '{"message":"unexpected EOF"}'
post '[1]'
expect 400 '{"message":"json: cannot unmarshal array into Go value of type port.Spec"}'
# invalid UTF-8 and NUL bytes in the body
printf '{"proto":"\377\376","parentPort":1,"childPort":1}' >"$D/badutf8"
call POST /v1/ports --data-binary @"$D/badutf8"
expect_error 400
printf '{"proto":"tcp\000","parentPort":1,"childPort":1}' >"$D/nul"
call POST /v1/ports --data-binary @"$D/nul"
expect_error 400
alive "bad bytes"

# bodies over 64 KiB: refused without being read (413 before 100-continue)
head -c 3145728 /dev/zero | tr '\0' ' ' >"$D/big"
call POST /v1/ports --data-binary @"$D/big"
expect_error 413
alive "3 MB body"
# a 3 MB chunked body: its connection is closed once it passes the limit
curl -sS --max-time 10 --unix-socket "$S" -H 'Transfer-Encoding: chunked' \
	--data-binary @"$D/big" -o /dev/null http://rootlesskit/v1/ports 2>/dev/null &&
	rn_fail "3 MB chunked body was accepted"
alive "3 MB chunked body"
# just under the limit is read (and then refused as JSON)
head -c 65000 /dev/zero | tr '\0' ' ' >"$D/under"
printf '{}' >>"$D/under"
call POST /v1/ports --data-binary @"$D/under"
rn_expect_eq "64 KiB body status" "$CODE" 400
grep -q 'proto' "$D/body" || rn_fail "64 KiB body was not decoded: $BODY"

# DELETE
call DELETE /v1/ports/99
expect 400 '{"message":"unknown id: 99"}'
call DELETE /v1/ports/-1
expect 400 '{"message":"unknown id: -1"}'
call DELETE /v1/ports/abc
expect 400 '{"message":"bad id abc: strconv.Atoi: parsing \"abc\": invalid syntax"}'
call DELETE /v1/ports/99999999999999999999
expect 400 '{"message":"bad id 99999999999999999999: strconv.Atoi: parsing \"99999999999999999999\": value out of range"}'
call DELETE /v1/ports/2
expect 200 ''
printf '%s\n' "$HDRS" | grep -q '^content-length: 0$' || rn_fail "DELETE content-length: $HDRS"
call DELETE /v1/ports/2
expect 400 '{"message":"unknown id: 2"}'
# IDs are never reused
post '{"proto":"tcp","parentIP":"::1","parentPort":18091,"childPort":80}'
expect 201 '{"id":4,"spec":{"proto":"tcp","parentIP":"::1","parentPort":18091,"childPort":80}}'

# unknown paths 404, wrong methods 405 (empty body), as gorilla/mux
for p in /v1/nope /v1/ports/ /v1/ports/1/x /v2/info / /v1 /v1/info/; do
	call GET "$p"
	expect 404 '404 page not found'
	printf '%s\n' "$HDRS" | grep -q '^x-content-type-options: nosniff$' || rn_fail "404 headers"
done
for mp in 'POST /v1/info' 'DELETE /v1/info' 'PUT /v1/ports' 'DELETE /v1/ports' \
	'PATCH /v1/ports' 'GET /v1/ports/1' 'POST /v1/ports/1' 'BREW /v1/info'; do
	# shellcheck disable=SC2086
	call $mp
	expect 405 ''
done
call HEAD /v1/info -I
rn_expect_eq "HEAD /v1/info" "$CODE" 405

# keep-alive: one connection serves several requests
curl -sSv --max-time 10 --unix-socket "$S" -o /dev/null -o /dev/null -o /dev/null \
	http://rootlesskit/v1/info http://rootlesskit/v1/ports http://rootlesskit/v1/nope \
	2>"$D/kv" || rn_fail "keep-alive requests"
[ "$(grep -c 'Re-using existing connection' "$D/kv")" = 2 ] ||
	rn_fail "connection not kept alive: $(grep -i connection "$D/kv")"
# pipelined requests on one raw connection
printf 'GET /v1/info HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/ports HTTP/1.1\r\nHost: x\r\n\r\n' |
	socat -t 2 - UNIX-CONNECT:"$S" >"$D/pipe"
[ "$(grep -o 'HTTP/1.1 200' "$D/pipe" | wc -l)" = 2 ] || rn_fail "pipelined requests: $(cat "$D/pipe")"

# hostile clients: garbage, a truncated request, binary noise, huge headers
printf 'GARBAGE\r\n\r\n' | socat -t 2 - UNIX-CONNECT:"$S" >/dev/null 2>&1
alive "garbage request line"
printf 'POST /v1/ports HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"pro' |
	socat -t 1 - UNIX-CONNECT:"$S" >/dev/null 2>&1
alive "truncated body"
head -c 100000 /dev/urandom | socat -t 2 - UNIX-CONNECT:"$S" >/dev/null 2>&1
alive "binary noise"
call GET /v1/info -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)"
case $CODE in 4*) ;; *) rn_fail "40 kB header: status $CODE" ;; esac
alive "huge header"

# slow clients do not hold up others: 20 connections trickling a request
PIDS=
i=0
while [ $i -lt 20 ]; do
	(printf 'POST /v1/ports HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\n\r\n{'; sleep 4) |
		socat -t 5 - UNIX-CONNECT:"$S" >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	i=$((i + 1))
done
sleep 0.5
t0=$(date +%s)
j=0
while [ $j -lt 20 ]; do
	alive "slow clients ($j)"
	j=$((j + 1))
done
[ $(($(date +%s) - t0)) -le 2 ] || rn_fail "requests were slow while slow clients were connected"
# shellcheck disable=SC2086
wait $PIDS

# 100 clients at once, each with a request of its own
PIDS=
i=0
while [ $i -lt 100 ]; do
	curl -sS --max-time 20 --unix-socket "$S" -o "$D/par.$i" http://rootlesskit/v1/info &
	PIDS="$PIDS $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $PIDS
i=0
while [ $i -lt 100 ]; do
	grep -q '"apiVersion":"1.1.2"' "$D/par.$i" || rn_fail "parallel client $i not served"
	i=$((i + 1))
done

# only the owner can connect
if id nobody >/dev/null 2>&1; then
	chmod 0711 "$D"
	runuser -u nobody -- curl -sS --max-time 5 --unix-socket "$S" http://x/v1/info \
		>/dev/null 2>&1 && rn_fail "another user could connect to api.sock"
	chmod 0700 "$D"
fi

stop_harness

# a stale socket (kill -9) is replaced
start_harness slirp4netns builtin
kill -KILL "$HPID"
wait "$HPID" 2>/dev/null
HPID=
[ -S "$S" ] || rn_fail "no stale socket to test with"
start_harness slirp4netns builtin
alive "restart over a stale socket"
stop_harness

# a non-socket in the way is not removed
: >"$S"
"$H" "$D" slirp4netns builtin 2>"$D/err" && rn_fail "harness started over a regular file"
[ -f "$S" ] || rn_fail "a regular file at api.sock was removed"
rm -f "$S"

# --- no port driver: ports routes answer 400, info has no portDriver ---
start_harness none none
PID=$HPID
for mp in 'GET /v1/ports' 'POST /v1/ports' 'DELETE /v1/ports/1' 'DELETE /v1/ports/abc'; do
	# shellcheck disable=SC2086
	call $mp --data-binary '{"proto":"tcp","parentPort":8080,"childPort":80}'
	expect 400 '{"message":"no PortDriver is available"}'
done
call GET /v1/info
expect 200 "{\"apiVersion\":\"1.1.2\",\"version\":\"0.1.0\",\"stateDir\":\"$D\",\"childPID\":$PID,\"networkDriver\":{\"driver\":\"none\"}}"
stop_harness

# --- host network: no networkDriver ---
start_harness host none
PID=$HPID
call GET /v1/info
expect 200 "{\"apiVersion\":\"1.1.2\",\"version\":\"0.1.0\",\"stateDir\":\"$D\",\"childPID\":$PID}"
stop_harness

# --- slirp4netns port driver: IPv4 protos and disallowLoopbackChildIP, as rootlesskit ---
start_harness slirp4netns slirp4netns
PID=$HPID
call GET /v1/info
expect 200 "{\"apiVersion\":\"1.1.2\",\"version\":\"0.1.0\",\"stateDir\":\"$D\",\"childPID\":$PID,\"networkDriver\":{\"driver\":\"slirp4netns\",\"dns\":[\"10.0.2.3\"],\"childIP\":\"10.0.2.100\"},\"portDriver\":{\"driver\":\"slirp4netns\",\"protos\":[\"tcp\",\"tcp4\",\"udp\",\"udp4\"],\"disallowLoopbackChildIP\":true}}"
post '{"proto":"tcp","parentPort":18080,"childIP":"127.0.0.1","childPort":80}'
expect_error 400
stop_harness

# --- --ipv6: the v6 DNS forwarder is listed and "ipv6":true (API 1.1.2); the v6 protos are served but not listed, since
# dockerd would bind networkDriver.childIP twice (portmap.h, "Advertised protos") ---
start_harness slirp4netns-ipv6 slirp4netns
PID=$HPID
call GET /v1/info
expect 200 "{\"apiVersion\":\"1.1.2\",\"version\":\"0.1.0\",\"stateDir\":\"$D\",\"childPID\":$PID,\"networkDriver\":{\"driver\":\"slirp4netns\",\"dns\":[\"10.0.2.3\",\"fd00::3\"],\"childIP\":\"10.0.2.100\",\"ipv6\":true},\"portDriver\":{\"driver\":\"slirp4netns\",\"protos\":[\"tcp\",\"tcp4\",\"udp\",\"udp4\"],\"disallowLoopbackChildIP\":true}}"
stop_harness

# --- libmicrohttpd: loaded at the first client, unloaded once no client came for 5 s
# (APICONN_UNLOAD_S), loaded again by the next; the port table lives on meanwhile ---
mhd_loaded() { grep -q libmicrohttpd "/proc/$HPID/maps"; }
mhd_unloaded() { ! mhd_loaded; }
rm -f "$S"
"$H" "$D" slirp4netns builtin 2>>"$D/log" &
HPID=$!
rn_wait_for 10 test -S "$S" || rn_fail "harness did not make $S: $(cat "$D/log")"
mhd_unloaded || rn_fail "libmicrohttpd loaded before any client"
post '{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18081,"childPort":81}'
expect 201 '{"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18081,"childPort":81}}'
mhd_loaded || rn_fail "libmicrohttpd not loaded after a request"
# a client that stays connected (idle, kept alive) keeps it loaded
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"GET /v1/info HTTP/1.1\r\nHost: x\r\n\r\n")
s.recv(4096)
time.sleep(7)' "$S" &
hold=$!
sleep 6.5
mhd_loaded || rn_fail "libmicrohttpd unloaded while a client was connected"
wait "$hold" || rn_fail "the held client failed"
rn_wait_for 10 mhd_unloaded || rn_fail "libmicrohttpd still loaded 10 s after the last client"
call GET /v1/ports
expect 200 '[{"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18081,"childPort":81}}]'
mhd_loaded || rn_fail "libmicrohttpd not loaded again by a client"
rn_wait_for 10 mhd_unloaded || rn_fail "libmicrohttpd not unloaded a second time"
alive "two unloads"
stop_harness

exit 0
