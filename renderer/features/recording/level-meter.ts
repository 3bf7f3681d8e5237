// The input level, about five times a second, as RMS of the waveform (0..1).
const INTERVAL_MS = 200;

export interface LevelMeter {
  pause(): void;
  resume(): void;
  stop(): void;
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return samples.length === 0 ? 0 : Math.min(1, Math.sqrt(sum / samples.length));
}

export function startLevelMeter(
  stream: MediaStream,
  report: (rms: number) => Promise<unknown>,
): LevelMeter {
  const context = new AudioContext();
  void context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let paused = false;
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    analyser.getFloatTimeDomainData(samples);
    inFlight = true;
    void report(paused ? 0 : rms(samples)).finally(() => {
      inFlight = false;
    });
  }, INTERVAL_MS);
  return {
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    stop: () => {
      clearInterval(timer);
      void context.close().catch(() => undefined);
    },
  };
}
