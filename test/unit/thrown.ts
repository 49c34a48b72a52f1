// The error a call throws, checked to be of the expected class: tests of refusals read its
// message and location. Anything else thrown (or nothing) fails the test.
export function thrown<E extends Error>(type: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn()
  } catch (e) {
    if (e instanceof type) return e
    throw e
  }
  throw new Error(`expected ${type.name} to be thrown, nothing was`)
}
