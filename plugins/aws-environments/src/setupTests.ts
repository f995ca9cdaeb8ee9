import '@testing-library/jest-dom';

// jsdom has no layout, hence no ResizeObserver; recharts' ResponsiveContainer
// needs one to mount. Charts get no size here; browser tests draw them.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= NoLayoutResizeObserver;
