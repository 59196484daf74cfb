import { type RefObject, useEffect, useRef, useState } from 'react';

/**
 * The width of an element, following resizes, so an SVG chart is drawn at real pixels (its text
 * stays legible). `min` keeps a chart readable in a very narrow container.
 */
export function useElementWidth<T extends HTMLElement>(fallback: number, min: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(min, Math.floor(element.getBoundingClientRect().width)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [min]);
  return [ref, width];
}
