#!/bin/sh
# fault-api.sh - an API no client can lock: with 1000 clients holding api.sock silent and 100
# more stopped in the middle of a request, a new client is answered within 2 s, a port is
# added and removed; the server closes every held client within 10 s (a request must be in
# within 5 s), its descriptors come back to where they were, and it never dies
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
rn_need curl jq python3
rn_workdir fapi
SILENT=1000
PARTIAL=100
N=$((SILENT + PARTIAL))
P=$(rn_free_port 1) || exit 1

rn_instance_start "$W/sd" "$W/rn.log" --net=slirp4netns --port-driver=builtin sleep 120
S=$W/sd/api.sock
rn_expect_eq "GET /v1/info before" "$(rn_api "$S" GET /info)" 200
fds0=$(rn_fd_count "$RN_PARENT")
rn_log "parent $RN_PARENT, $fds0 descriptors open"

# the clients that hold api.sock: silent ones, then ones stopped in the request line or in the
# headers; they keep their ends open for 30 s
rn_as_user python3 "$FAULTKIT" hold-unix "$S" $SILENT $PARTIAL 30 >"$W/hold.out" 2>"$W/hold.err" &
rn_wait_for 15 grep -q '^held' "$W/hold.out" ||
	rn_fail "the holding clients did not start: $(cat "$W/hold.err")"
rn_log "$(head -n 1 "$W/hold.out") clients hold api.sock"

# with them held, a new client is answered at once, three times over
for i in 1 2 3; do
	rn_expect_eq "GET /v1/info $i, $N clients holding the API (2 s at most)" \
		"$(rn_api "$S" GET /info)" 200
done
RN_API_BODY=$W/post.json
rn_expect_eq "POST /v1/ports while held" "$(rn_api "$S" POST /ports \
	"{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$P,\"childPort\":80}")" 201
id=$(jq -r .id "$W/post.json")
case $id in '' | *[!0-9]*) rn_fail "POST /v1/ports answered $(cat "$W/post.json")" ;; esac
RN_API_BODY=/dev/null
rn_expect_eq "DELETE /v1/ports/$id while held" "$(rn_api "$S" DELETE "/ports/$id")" 200
rn_expect_eq "clients the API took" "$(head -n 1 "$W/hold.out")" "held $N of $N"

# the server closes every held client: no request came in within 5 s of its connection
rn_wait_for 15 grep -q -e '^all-closed' -e '^still-open' "$W/hold.out" || :
closed=$(sed -n 's/^all-closed //p' "$W/hold.out")
[ -n "$closed" ] || rn_fail "the server did not close the held clients within 15 s of their connection"
[ "${closed%.*}" -lt 10 ] || rn_fail "the held clients were closed only after $closed s"
rn_log "the server closed the $N held clients within $closed s"
# and its descriptors are back (the clients still hold their ends)
fds_back() { [ "$(rn_fd_count "$RN_PARENT")" -le $((fds0 + 3)) ]; }
rn_wait_for 3 fds_back || rn_fail "parent descriptors: $(rn_fd_count "$RN_PARENT"), $fds0 before"
kill -0 "$RN_PARENT" 2>/dev/null || rn_fail "rootlessnet died: $(tail -c 2000 "$W/rn.log")"
rn_expect_eq "GET /v1/info after" "$(rn_api "$S" GET /info)" 200
echo "fault-api: ok"
