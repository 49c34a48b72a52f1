import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist-web/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    // The engine is deterministic: time and randomness come from the World.
    files: ['src-main/engine/**/*.ts', 'src-main/k8s/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use the World clock (simulated time).' },
        { object: 'Math', property: 'random', message: 'Use the World\'s seeded random source.' },
        { object: 'performance', property: 'now', message: 'Use the World clock (simulated time).' },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Schedule on the World instead.' }, { name: 'setInterval', message: 'Schedule on the World instead.' }],
    },
  },
  {
    // Only the renderer's api module touches window.podnet.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    ignores: ['src-renderer/api/podnet.ts', 'src-renderer/web/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='podnet'][object.name='window']", message: 'Use src-renderer/api/podnet.ts.' }],
    },
  },
)
