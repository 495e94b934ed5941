/**
 * The file a piscina pool loads in each thread (`piscinaTaskFilename`): a CommonJS
 * door to the ES task module `piscina-task.ts`.
 *
 * Why not point piscina at `piscina-task.js` itself: piscina loads its file with
 * `require()` first, and on Node 20 `require()` of an ES module aborts the WHOLE
 * process ("FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated
 * module") when the thread is terminated while the module graph is being instantiated,
 * which happens when a short job ends (pool destroyed, or the CLI exits) while a thread
 * is still starting. `import()` handles that termination, so this file, which
 * `require()` loads without touching the ES loader, starts the import at once (the
 * thread still loads the task module before its first task) and awaits it per task.
 */
type PiscinaTask = typeof import('./piscina-task.js');

const taskModule: Promise<PiscinaTask> = import('./piscina-task.js');
// An import that fails is reported by the first task, not as an unhandled rejection.
taskModule.catch(() => {});

export = async function piscinaEntry(task: Parameters<PiscinaTask['default']>[0]): ReturnType<PiscinaTask['default']> {
  return (await taskModule).default(task);
};
