// aws-local-stepfunctions calls Promise.withResolvers (Node 22+). Without it on Node 20 the
// TypeError becomes a Task error that a States.ALL Catch swallows: tests would silently take
// the failure path. The polyfill lives with the runner; importing it here covers every test.
import '../local/polyfills.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
