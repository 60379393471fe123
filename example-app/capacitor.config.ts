import type { CapacitorConfig } from '@capacitor/cli';

const config: CapacitorConfig = {
  appId: 'io.juspaycustomer.example',
  appName: 'Customer Lookup',
  webDir: 'dist',
  plugins: {
    // On Android and iOS the demo sign-in's fetch goes through native HTTP, so the backend needs
    // no CORS entry for the WebView's origin. Lookups never use fetch there: the plugin calls the
    // Rust core.
    CapacitorHttp: { enabled: true },
  },
};

export default config;
