// The platform this build runs on: Node here; the browser bundle resolves this module to
// ./browser instead (esbuild.mjs, browserPlatform plugin), so no Node module reaches the worker.
export { platform } from './node';
