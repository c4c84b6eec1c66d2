import * as path from 'path';
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RustFunction } from 'cargo-lambda-cdk';
import { Construct } from 'constructs';
import { ReportsStack } from './reports-stack';

// The crate holding every bin of the service.
const CRATE_DIR = path.join(__dirname, '..');

export class OrdersStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const api = new apigw.RestApi(this, 'OrdersApi', {
      deployOptions: { stageName: 'prod', tracingEnabled: true },
    });

    const createOrder = new RustFunction(this, 'CreateOrderFn', {
      manifestPath: path.join(CRATE_DIR, 'Cargo.toml'),
      binaryName: 'create-order',
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
    });
    api.root.addResource('orders').addMethod('POST', new apigw.LambdaIntegration(createOrder));

    const queue = new sqs.Queue(this, 'FulfilmentQueue');
    const fulfil = new RustFunction(this, 'FulfilmentFn', {
      manifestPath: CRATE_DIR,
      binaryName: 'fulfil-order',
      memorySize: 256,
      timeout: Duration.seconds(60),
      tracing: lambda.Tracing.ACTIVE,
    });
    fulfil.addEventSource(new SqsEventSource(queue, { batchSize: 1 }));

    new lambda.Function(this, 'LegacyFn', {
      runtime: lambda.Runtime.PROVIDED_AL2023,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(process.env.LEGACY_DIR ?? path.join(__dirname, '../legacy')),
      memorySize: 128,
      tracing: lambda.Tracing.ACTIVE,
    });

    new ReportsStack(this, 'Reports', { api });
  }
}
