// The input level: RMS of the waveform (0..1) about five times a second for the meter, and the
// peak of every short read for the waveform the player draws later.
const READ_MS = 50;
const REPORT_EVERY = 4;

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

export function peak(samples: Float32Array): number {
  let highest = 0;
  for (const sample of samples) highest = Math.max(highest, Math.abs(sample));
  return Math.min(1, highest);
}

export function startLevelMeter(
  stream: MediaStream,
  report: (rms: number) => Promise<unknown>,
  /** Every read's peak while not paused (2048 samples, about 43 ms at 48 kHz, every 50 ms). */
  onPeak: (peak: number) => void = () => undefined,
): LevelMeter {
  const context = new AudioContext();
  void context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let paused = false;
  let inFlight = false;
  let reads = 0;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    if (!paused) onPeak(peak(samples));
    reads += 1;
    if (inFlight || reads % REPORT_EVERY !== 0) return;
    inFlight = true;
    void report(paused ? 0 : rms(samples)).finally(() => {
      inFlight = false;
    });
  }, READ_MS);
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
