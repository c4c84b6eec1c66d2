import * as path from 'path';
import { Duration, NestedStack, NestedStackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

const ROOT = path.resolve(__dirname, '..');
const GET_ORDER_BIN = 'get-order';

export interface ReportsStackProps extends NestedStackProps {
  readonly api: apigw.RestApi;
}

/** Reading orders back: the GET route and the nightly report, in a nested stack. */
export class ReportsStack extends NestedStack {
  constructor(scope: Construct, id: string, props: ReportsStackProps) {
    super(scope, id, props);

    const getOrder = new lambda.Function(this, 'GetOrderFn', {
      runtime: lambda.Runtime.PROVIDED_AL2023,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(`${ROOT}/target/lambda/${GET_ORDER_BIN}`),
      memorySize: 256,
      reservedConcurrentExecutions: 50,
      tracing: lambda.Tracing.ACTIVE,
    });
    const orders = apigw.RestApi.fromRestApiAttributes(this, 'Api', {
      restApiId: props.api.restApiId,
      rootResourceId: props.api.restApiRootResourceId,
    });
    orders.root.addResource('order').addMethod('GET', new apigw.LambdaIntegration(getOrder));

    const report = new lambda.Function(this, 'ReportFn', {
      runtime: lambda.Runtime.PROVIDED_AL2023,
      handler: 'bootstrap',
      code: lambda.Code.fromAsset(path.join(__dirname, '../target/lambda/report')),
      timeout: Duration.minutes(5),
    });
    new events.Rule(this, 'Nightly', {
      schedule: events.Schedule.cron({ hour: '2', minute: '0' }),
      targets: [new targets.LambdaFunction(report)],
    });
  }
}
