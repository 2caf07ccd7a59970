import { quietRuntime } from './temporal';

quietRuntime();
