#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { JobsStage } from '../lib/jobs-stage';

const app = new cdk.App();
new JobsStage(app, 'Prod');
