# The function: answers {"ok":true,"version":"<VERSION build arg>"} whatever the event.
version=$(cat "$LAMBDA_TASK_ROOT/VERSION")

handler() {
  printf '{"ok":true,"version":"%s"}' "$version"
}
