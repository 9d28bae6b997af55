import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrationsLocked } from './data-source';
import { isMissingDatabase, missingDatabaseMessage } from './missing-database';

/**
 * One TypeORM DataSource per process, initialised at start-up; migrations run (under the
 * advisory lock) when dbMigrateOnStart is set. Features inject DataSource and query it. A
 * database that does not exist stops the start with the command that creates it (never created
 * here: missingDatabaseMessage says why).
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [AppConfig],
      useFactory: (config: AppConfig): DataSource => createDataSource(config.databaseUrl),
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize().catch((error: unknown) => {
      // Said in one line by the entry point ("<app> failed to start: ..."), with the fix.
      throw isMissingDatabase(error) ? new Error(missingDatabaseMessage(this.config.databaseUrl)) : error;
    });
    if (this.config.dbMigrateOnStart) {
      const applied = await runMigrationsLocked(this.dataSource);
      if (applied.length > 0) this.logger.log(`applied migrations: ${applied.join(', ')}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
