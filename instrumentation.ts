// Runs once when the server starts: migrations are applied by `prestart`; this seeds what the environment asks for.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { registerNode } = await import('./instrumentation-node');
    await registerNode();
  }
}
