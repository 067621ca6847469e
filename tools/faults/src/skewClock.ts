// Preloaded (`node --import`) into a relay child of the clock-skew scenario: shifts this process's
// clock by FAULTS_CLOCK_SKEW_MS (Date.now(), new Date(), Date()), as a host whose clock drifted would.
// PostgreSQL's clock stays true: every time the relay stores must come from the database (`now()`),
// so a retry, a lease or a release computed from this clock would show up as a parked or burnt message.
const skewMs = Number(process.env.FAULTS_CLOCK_SKEW_MS ?? 0);

if (Number.isFinite(skewMs) && skewMs !== 0) {
  const TrueDate = Date;
  const now = () => TrueDate.now() + skewMs;
  globalThis.Date = new Proxy(TrueDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new TrueDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  });
}

export {};
