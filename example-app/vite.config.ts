import { defineConfig } from 'vite';

export default defineConfig({
  resolve: {
    // The plugin is linked from the repository root (`file:..`), whose own node_modules holds
    // another @capacitor/core: one copy must serve both, or the plugin registers on the wrong one.
    dedupe: ['@capacitor/core'],
  },
  server: {
    // The reference backend's default CORS origins are http://127.0.0.1:5173 and http://localhost:5173.
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
  },
  preview: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
  },
  build: {
    // Capacitor 8's oldest WebViews: Android 7 (Chrome 60+ updated), iOS 15 Safari.
    target: ['es2020', 'safari15', 'chrome90'],
  },
});
