# Sourced by the gateway benchmarks: the static upstream they measure against, nginx on loopback
# answering every request with a fixed chat completion, or with a fixed event stream (a content chunk,
# the last chunk, the usage chunk and [DONE]) when asked for text/event-stream.

# start_static_upstream FOLDER PORT: writes FOLDER/nginx.conf and starts nginx (one worker) on
# 127.0.0.1:PORT, its pid in FOLDER/nginx.pid.
start_static_upstream() {
    local folder="$1" port="$2"
    local completion='{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22}}'
    local chunk='{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello."},"finish_reason":null}]}'
    local last='{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}'
    local usage='{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22}}'
    cat > "$folder/nginx.conf" <<CONF
worker_processes 1;
pid $folder/nginx.pid;
error_log $folder/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 10000000;
    client_body_temp_path $folder/body;
    server {
        listen 127.0.0.1:$port;
        location / {
            if (\$http_accept = "text/event-stream") { rewrite ^ /events last; }
            default_type application/json;
            return 200 '$completion';
        }
        location = /events {
            internal;
            default_type text/event-stream;
            return 200 'data: $chunk\n\ndata: $last\n\ndata: $usage\n\ndata: [DONE]\n\n';
        }
    }
}
CONF
    nginx -c "$folder/nginx.conf"
}
