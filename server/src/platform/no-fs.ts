// node:fs for the browser server, which has no file system: every file it reads comes through the
// client (ClientFs), so the Node reader kept as a default beside it (engine/config.ts NODE_FS) must
// never be reached there, and says so plainly if it is.
function unavailable(name: string): never {
  throw new Error(`${name}: there is no file system in the browser; files are read through the editor`);
}

export const readFileSync = (): never => unavailable('readFileSync');
export const statSync = (): never => unavailable('statSync');
