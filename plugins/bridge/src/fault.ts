// A test hatch for rollback tests (acceptance item 4): `CNI_TS_FAULT=after:<step>` in the plugin's environment
// makes ADD fail right after the named step, so a test can prove that everything acquired so far is undone.
// It is read once per invocation from the command's own environment (no package-global state), and a name that
// is not a step does nothing. Step names: see ADD_STEPS.
export const ADD_STEPS = [
  'ensure-bridge',
  'create-veth',
  'attach-port',
  'macspoofchk',
  'ipam',
  'configure-container',
  'gateway',
  'ipmasq',
  'port-up',
  'result',
] as const;
export type AddStep = (typeof ADD_STEPS)[number];

/** Thrown by an injected fault; a plain Error, so skel reports it as code 999 like any other failure. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

/** Returns `after(step)`, which throws when CNI_TS_FAULT asks for a failure after that step. */
export function faultInjector(env: Readonly<Record<string, string | undefined>>): (step: AddStep) => void {
  const wanted = env.CNI_TS_FAULT?.startsWith('after:') ? env.CNI_TS_FAULT.slice('after:'.length) : undefined;
  return (step) => {
    if (step === wanted) throw new InjectedFault(`injected fault after step "${step}" (CNI_TS_FAULT)`);
  };
}
