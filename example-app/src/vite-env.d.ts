/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The backend URL the app starts with until the user saves another in Settings. */
  readonly VITE_BACKEND_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
