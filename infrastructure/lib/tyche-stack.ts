import { TABLES, type TableKey } from "@tyche/api/tables";
import { CfnOutput, aws_dynamodb as dynamodb, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { Stage } from "./stage";

export interface TycheStackProps extends StackProps {
  stage: Stage;
}

export class TycheStack extends Stack {
  public readonly tables: Readonly<Record<TableKey, dynamodb.TableV2>>;

  constructor(scope: Construct, id: string, props: TycheStackProps) {
    super(scope, id, props);
    const prod = props.stage === "prod";
    const string = dynamodb.AttributeType.STRING;

    const tables: Partial<Record<TableKey, dynamodb.TableV2>> = {};
    for (const def of TABLES) {
      const table = new dynamodb.TableV2(this, def.key, {
        // The API falls back to defaultName when its environment variable is unset, so the deployed name must be
        // exactly that. Two stages can therefore not share an account and region.
        tableName: def.defaultName,
        partitionKey: { name: def.partitionKey, type: string },
        sortKey: { name: def.sortKey, type: string },
        // Nothing to size or autoscale, and an idle dev stack costs only its storage.
        billing: dynamodb.Billing.onDemand(),
        // Restore points for the last 35 days, against a bad write or a faulty migration.
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // Unlike an AWS-owned key, the AWS-managed KMS key records each use of the key in CloudTrail.
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        globalSecondaryIndexes: def.indexes.map((index) => ({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: string },
          sortKey: { name: index.sortKey, type: string },
          // So a query on an index never needs a second read from the base table.
          projectionType: dynamodb.ProjectionType.ALL,
        })),
        timeToLiveAttribute: def.ttlAttribute,
        // Both images, so the analytics refresh can take back an item's old contribution as well as add its new one.
        dynamoStream: def.stream ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
        // Production holds users' financial records; dev must stay disposable so its stack tears down in one step.
        deletionProtection: prod,
        removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      tables[def.key] = table;
      new CfnOutput(this, `${def.key}TableName`, { value: table.tableName });
    }
    // The loop above covers every TableKey because TABLES has one entry per key.
    this.tables = tables as Record<TableKey, dynamodb.TableV2>;
  }
}
