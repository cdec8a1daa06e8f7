// The engine's door to rendered kustomize overlays, for the CLI (the editor's lsp/overlay-handler.ts
// uses the same modules). Apart from index.ts because it runs programs (kubectl, kustomize), which
// the browser server, built from index.ts's graph, cannot.
export {
  checkRendered,
  KustomizationGraph,
  kustomizationsAbove,
  notRendered,
  renderedContext,
  topOverlays,
  type FileFindings,
} from '../workspace/overlays';
export { DEFAULT_RENDER_SECONDS, findRenderer, renderSync } from '../workspace/render';
