/** The plain data the page, the worker and storage share, split by concern. */
export * from './engine';
export * from './records';
export * from './runs';
export * from './progress';
export * from './predictions';
export * from './health';
