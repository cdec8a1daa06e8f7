// Answers the browser server's `sidecarPods/readFile`: it has no file system, so it reads the
// `.sidecar-pods.yaml` and kustomization files its lookups need through the editor. Only files
// inside a workspace folder are read (the server asks for nothing else, and the client holds it to
// that), none larger than READ_FILE_MAX_BYTES.
import * as vscode from 'vscode';
import { READ_FILE_MAX_BYTES, type ReadFileParams, type ReadFileResult } from '../../shared/src/protocol';

export async function readWorkspaceFile(params: ReadFileParams): Promise<ReadFileResult> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(String(params?.uri), true);
  } catch {
    return { kind: 'missing' };
  }
  if (!vscode.workspace.getWorkspaceFolder(uri)) return { kind: 'missing' };
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { kind: 'missing' }; // FileSystemError.FileNotFound, or a provider that cannot say
  }
  if ((stat.type & vscode.FileType.File) === 0) return { kind: 'missing' };
  if (stat.size > READ_FILE_MAX_BYTES) {
    return { kind: 'error', message: `${uri.toString(true)} is larger than ${READ_FILE_MAX_BYTES} bytes` };
  }
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { kind: 'file', text: new TextDecoder().decode(bytes), mtime: stat.mtime, size: stat.size };
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}
