# The flaky function: answers its first call, then fails every second one (each instance counts its
# own calls in /tmp). It passes a smoke invoke — each smoke call starts an instance of its own —
# and fails half the calls under traffic, which a canary's judge catches at its first step.
version=$(cat "$LAMBDA_TASK_ROOT/VERSION")

handler() {
  n=$(cat /tmp/calls 2>/dev/null || echo 0)
  n=$((n + 1))
  echo "$n" > /tmp/calls
  if [ $((n % 2)) -eq 0 ]; then
    echo "Error: call $n failed - flaky on purpose" >&2
    return 1
  fi
  printf '{"ok":true,"version":"%s"}' "$version"
}
