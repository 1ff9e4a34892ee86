# The broken function: every invocation fails (Lambda reports an Unhandled FunctionError), so a
# deployment of it fails its smoke invoke and is rolled back.
handler() {
  echo "TypeError: cannot read properties of undefined (reading 'greeting') - broken on purpose" >&2
  return 1
}
