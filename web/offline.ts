/**
 * Offline use: registers public/sw.js, a service worker that keeps a copy of every same-origin
 * file the page loads, so the page opens and works without a network after one visit.
 * Skipped on the Vite dev server (its modules change as you edit). Registered after the load
 * event, so it does not compete with the page's own first load.
 */
export function registerOffline(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const register = (): void => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
      // Offline caching is a convenience; the page works without it (e.g. on a file: URL).
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
